/* Bar charts of a page's totals: on the country and company pages, by year, by category and by
 * company (or by host country), each a <figure> holding a [data-chart][data-by] element. Drawn with
 * plotly-basic from /api/v1/stats/ with the page's filters (its fixed country or company included, by
 * Tracker.stats), fetched after the first paint and redrawn on every filter change. The tables beside
 * them give the same figures without JavaScript. */
(function () {
  "use strict";

  var T = window.Tracker;
  var charts = document.querySelectorAll("[data-chart][data-by]");
  if (!T || !charts.length) return;

  var strings = T.strings;
  var COLOUR = "#0b3d91";
  var PHONE = window.matchMedia("(max-width: 40rem)");
  var plotlyReady = T.afterPaint().then(function () {
    return T.loadScript(charts[0].getAttribute("data-plotly"));
  });
  var plotConfig = { displayModeBar: false, responsive: true, scrollZoom: false };

  /* The rows a chart draws: Europe-wide programmes (no key) and undisclosed-only groups left out, as
   * the tables leave them; years in order, everything else largest first. */
  function rows(by, body) {
    var out = body.results.filter(function (row) {
      return row.key !== null && row.key !== undefined && row.total !== null && row.total !== undefined;
    });
    if (by === "year") {
      out.sort(function (a, b) {
        return Number(a.key) - Number(b.key);
      });
    } else {
      out.sort(function (a, b) {
        return Number(b.total) - Number(a.total);
      });
    }
    return out;
  }

  function name(by, row) {
    if (by === "country") return (T.config.countries[row.key] || {}).name || row.label;
    if (by === "category") return T.config.categories[row.key] || row.label;
    return String(row.label || row.key);
  }

  function figure(by, body, currency) {
    var shown = rows(by, body);
    var labels = shown.map(function (row) {
      return name(by, row);
    });
    var totals = shown.map(function (row) {
      return Number(row.total);
    });
    var text = shown.map(function (row) {
      return T.format.short(row.total, currency);
    });
    var horizontal = by !== "year";
    var trace = {
      type: "bar",
      orientation: horizontal ? "h" : "v",
      x: horizontal ? totals : labels,
      y: horizontal ? labels : totals,
      text: text,
      textposition: "auto",
      customdata: shown.map(function (row) {
        return [T.format.whole(row.count)];
      }),
      marker: { color: COLOUR },
      hovertemplate: "%{" + (horizontal ? "y" : "x") + "}: %{text}<br>" + strings.investments + ": %{customdata[0]}<extra></extra>",
    };
    var phone = PHONE.matches;
    var layout = {
      margin: phone ? { l: 8, r: 8, t: 8, b: 30 } : { l: 8, r: 16, t: 8, b: 36 },
      height: horizontal ? Math.max(160, 60 + 28 * shown.length) : 260,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", color: "#1d1d1f", size: phone ? 11 : 12 },
      dragmode: false,
      showlegend: false,
      xaxis: horizontal
        ? { title: { text: strings.total + " (" + currency + ")" }, gridcolor: "#e3e6eb", automargin: true, showticklabels: false }
        : { type: "category", automargin: true },
      yaxis: horizontal
        ? { autorange: "reversed", automargin: true, type: "category" }
        : { title: { text: phone ? "" : currency }, gridcolor: "#e3e6eb", automargin: true, showticklabels: false },
      annotations: shown.length
        ? []
        : [{ text: strings.noData, xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false }],
      hoverlabel: { bgcolor: "#ffffff", bordercolor: COLOUR, font: { color: "#1d1d1f" } },
    };
    return { data: [trace], layout: layout };
  }

  var loaders = {};
  var latest = {};
  Array.prototype.forEach.call(charts, function (chart) {
    loaders[chart.getAttribute("data-by")] = T.latest(T.stats);
  });

  function draw(chart) {
    var by = chart.getAttribute("data-by");
    var answer = latest[by];
    if (!answer) return Promise.resolve();
    var drawing = figure(by, answer.body, answer.currency);
    return plotlyReady
      .then(function () {
        return window.Plotly.react(chart, drawing.data, drawing.layout, plotConfig);
      })
      .then(function () {
        chart.classList.add("drawn");
        chart.setAttribute("data-drawn", String(Date.now()));
        chart.setAttribute("data-bars", String(drawing.data[0].x.length));
        var caption = chart.closest("figure").querySelector("figcaption [data-currency]");
        if (caption) caption.textContent = answer.currency;
      });
  }

  function load(params) {
    var currency = T.currencyOf(params);
    Array.prototype.forEach.call(charts, function (chart) {
      var by = chart.getAttribute("data-by");
      loaders[by](by, params)
        .then(function (body) {
          latest[by] = { body: body, currency: currency };
          return draw(chart);
        })
        .catch(T.failed);
    });
  }

  PHONE.addEventListener("change", function () {
    Array.prototype.forEach.call(charts, function (chart) {
      draw(chart).catch(T.failed);
    });
  });

  T.onChange(function (params, reason) {
    if (reason === "page") return;
    load(params);
  });

  T.afterPaint().then(function () {
    load(T.state());
  });
})();
