"""What the timeline tests and benchmark read from the page: JavaScript expressions for
``page.evaluate`` / ``page.wait_for_function``, shared so that each reads the drawing one way.

Markers are read from plotly's SVG: the event traces are the ones whose ``meta`` is "events" (not
the key's legend-only traces, not the selection ring).
"""
from __future__ import annotations

TIMELINE = ".ac-timeline-explorer"
_EVENT_TRACES = (f"[...document.querySelectorAll('{TIMELINE} .scatterlayer .trace')]"
                 ".filter(g => g.__data__ && g.__data__[0] && g.__data__[0].trace.meta === 'events')")

#: Markers drawn for events.
EVENT_POINTS = (f"() => {_EVENT_TRACES}"
                ".reduce((n, g) => n + g.querySelectorAll('path.point').length, 0)")
#: The same, counting only markers inside the plotting area (the date window on screen).
POINTS_IN_VIEW = f"""() => {{
    const area = document.querySelector('{TIMELINE} .draglayer .nsewdrag').getBoundingClientRect();
    return {_EVENT_TRACES}
        .flatMap(g => [...g.querySelectorAll('path.point')])
        .map(p => p.getBoundingClientRect())
        .filter(r => r.width > 0 && r.x + r.width / 2 >= area.left
                     && r.x + r.width / 2 <= area.right).length;
}}"""
#: Screen coordinates of an event's marker (argument: its event id), or null if it is not drawn.
POINT_CENTRE = f"""(id) => {{
    for (const g of {_EVENT_TRACES}) {{
        const k = (g.__data__[0].trace.customdata || []).findIndex(c => c[0] === id);
        if (k < 0) continue;
        const point = [...g.querySelectorAll('path.point')].find(p => p.__data__.i === k);
        if (!point) return null;
        const r = point.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];
    }}
    return null;
}}"""
#: The status line ("N of M events in view.").
STATUS = "() => (document.querySelector('.ac-timeline-status') || {}).textContent || ''"
#: The date slider's readout ("Jan 1977-Dec 2026").
READOUT = f"() => document.querySelector('{TIMELINE} .widget-readout').textContent"
