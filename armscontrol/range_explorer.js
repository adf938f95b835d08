// The range explorer's browser side (armscontrol/range_explorer.py, class RangeBridge).
//
// It listens to the explorer's keyboard-native controls (the "What if" slider, the INF-band
// toggle, the claim buttons) in the browser and moves the map's circles itself with
// Plotly.relayout on the explorer's graph div. A relayout of layout shapes redraws only the
// shapes, and nothing waits for the kernel; the FigureWidget reports the relayout to Python
// (plotly's _js2py_relayout), so the kernel's copy of the figure stays in step.

function graphDiv(el) {
  const box = el.closest(".ac-range-explorer");
  return box ? box.querySelector(".js-plotly-plot") : null;
}

function apply(el, update) {
  const gd = graphDiv(el);
  // The figure may not have drawn yet (views render in any order); the kernel built it in the
  // state the controls show, so an early change has nothing to catch up with.
  if (!gd || !gd._fullLayout || !window.Plotly || Object.keys(update).length === 0) return;
  window.Plotly.relayout(gd, update);
}

function whatIf(model, slider) {
  const i = model.get("what_if_shape");
  const km = Number(slider.get("value"));
  return {[`shapes[${i}].x0`]: -km, [`shapes[${i}].y0`]: -km,
          [`shapes[${i}].x1`]: km, [`shapes[${i}].y1`]: km};
}

function infBand(model, toggle) {
  const update = {};
  for (const i of model.get("inf_shapes")) update[`shapes[${i}].visible`] = !!toggle.get("value");
  return update;
}

function highlight(model, claims) {
  const update = {};
  const chosen = claims.get("index");  // selection widgets sync the index, not the value
  model.get("claim_shapes").forEach((i, k) => {
    update[`shapes[${i}].line.width`] =
      k === chosen ? model.get("highlight_width") : model.get("claim_width");
  });
  return update;
}

async function render({ model, el }) {
  const manager = model.widget_manager;
  const [slider, toggle, claims] = await Promise.all(
    ["slider_id", "inf_id", "claims_id"].map((name) => manager.get_model(model.get(name))));
  const listeners = [
    [slider, () => apply(el, whatIf(model, slider))],
    [toggle, () => apply(el, infBand(model, toggle))],
    [claims, () => apply(el, highlight(model, claims))],
  ];
  const events = ["change:value", "change:value", "change:index"];
  listeners.forEach(([control, listener], k) => control.on(events[k], listener));
  el.dataset.acBridge = "ready";  // tests wait for this before pressing keys
  return () => {
    listeners.forEach(([control, listener], k) => control.off(events[k], listener));
  };
}

export default { render };
