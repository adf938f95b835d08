// The browser side of armscontrol/figure_widget.py (class FigureWidget): plotly's own
// FigureWidget code, loaded once per page from the kernel's one PlotlyBundle widget instead of
// arriving with every figure.
//
// plotly's FigureWidget is an anywidget whose ES module (plotly.js and its widget code, about
// 5 MB) is a synced trait, so every FigureWidget sends all of it again. Here each figure names
// the PlotlyBundle model that holds the module (`bundle_id`); the first figure on a page
// imports it from there, every other one reuses that import. Initialising and rendering are
// then plotly's own. The module arrives as binary (a DataView), so no 5 MB JSON string is parsed.

const loaded = new Map(); // PlotlyBundle model id -> Promise of plotly's widget definition

function plotlyWidget(model) {
  const id = model.get("bundle_id");
  if (!loaded.has(id)) {
    loaded.set(id, (async () => {
      const host = await model.widget_manager.get_model(id);
      // A binary trait: the page receives the module's UTF-8 source as a DataView.
      const url = URL.createObjectURL(new Blob([host.get("bundle")],
                                               { type: "text/javascript" }));
      try {
        const module = await import(/* webpackIgnore: true */ url);
        const widget = module.default;
        return typeof widget === "function" ? await widget() : widget;
      } finally {
        URL.revokeObjectURL(url);
      }
    })());
  }
  return loaded.get(id);
}

export default {
  async initialize(context) {
    const widget = await plotlyWidget(context.model);
    return widget.initialize ? widget.initialize(context) : undefined;
  },
  async render(context) {
    const widget = await plotlyWidget(context.model);
    return widget.render ? widget.render(context) : undefined;
  },
};
