/* The comparison chart of the map and timeline pages: once several companies (or else several
 * countries) are chosen in the filter bar, grouped bars by year, one colour per chosen company or
 * country, each from its own /api/v1/stats/?by=year request with the page's other filters. Hidden
 * while fewer than two are chosen. */
(function () {
  "use strict";

  var T = window.Tracker;
  var figure = document.querySelector("[data-compare]");
  var chart = figure && figure.querySelector("[data-chart=compare]");
  if (!T || !chart) return;

  var strings = T.strings;
  // Okabe–Ito, as on the timeline: told apart by colour-blind readers; past seven, colours repeat
  // with a hatched pattern.
  var PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a5195"];
  var PHONE = window.matchMedia("(max-width: 40rem)");
  var caption = figure.querySelector("[data-compare-caption]");
  var plotConfig = { displayModeBar: false, responsive: true, scrollZoom: false };
  var answer = null;

  /* Wait for the page's own bundle first (the map's geo one keeps window.Plotly), then the bars'. */
  function plotly() {
    var first = chart.getAttribute("data-after");
    var before = first ? T.loadPlotly(first) : Promise.resolve();
    return before.then(function () {
      return T.loadPlotly(chart.getAttribute("data-plotly"));
    });
  }

  /* What to compare: the chosen companies when there are several, else the chosen countries. */
  function selection(params) {
    var companies = T.chosen(params, "company");
    if (companies.length > 1) return { by: "company", keys: companies };
    var countries = T.chosen(params, "country").map(function (key) {
      return key.toUpperCase();
    });
    if (countries.length > 1) return { by: "country", keys: countries };
    return null;
  }

  function nameOf(by, key) {
    if (by === "country") return (T.config.countries[key] || {}).name || key;
    var option = document.querySelector("#f-company option[value='" + key.toLowerCase().replace(/[^a-z0-9-]/g, "") + "']");
    return option ? option.textContent : key;
  }

  /* One stats request per chosen key: the state with that one key in place of the several. */
  var loadAll = T.latest(function (params, chosen) {
    return Promise.all(
      chosen.keys.map(function (key) {
        var one = new URLSearchParams(params);
        one.set(chosen.by, key);
        return T.stats("year", one);
      })
    );
  });

  function traces(chosen, bodies, currency) {
    var years = {};
    bodies.forEach(function (body) {
      body.results.forEach(function (row) {
        if (row.key !== null && row.key !== undefined) years[row.key] = true;
      });
    });
    // Every year from the first to the last, so that a year without money shows as a gap, not skipped.
    var keys = Object.keys(years).map(Number).sort(function (a, b) { return a - b; });
    var x = [];
    for (var year = keys[0]; keys.length && year <= keys[keys.length - 1]; year++) x.push(String(year));
    return chosen.keys.map(function (key, index) {
      var byYear = {};
      bodies[index].results.forEach(function (row) {
        byYear[String(row.key)] = row;
      });
      var name = nameOf(chosen.by, key);
      return {
        type: "bar",
        name: name,
        x: x,
        // An undisclosed total (null) leaves a gap, never a bar of 0.
        y: x.map(function (year) {
          var row = byYear[year];
          return row && row.total !== null && row.total !== undefined ? Number(row.total) : null;
        }),
        customdata: x.map(function (year) {
          var row = byYear[year];
          if (!row) return "—";
          return T.format.short(row.total, currency) + " · " + strings.investments + ": " + T.format.whole(row.count);
        }),
        marker: {
          color: PALETTE[index % PALETTE.length],
          pattern: { shape: index >= PALETTE.length ? "/" : "" },
        },
        hovertemplate: "<b>" + name.replace(/</g, "&lt;") + "</b> %{x}<br>%{customdata}<extra></extra>",
      };
    });
  }

  function layout(currency, count, max) {
    var phone = PHONE.matches;
    var ticks = T.linearTicks(max);
    return {
      barmode: "group",
      height: phone ? 300 : 340,
      margin: phone ? { l: 8, r: 8, t: 8, b: 30 } : { l: 8, r: 16, t: 8, b: 36 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", color: "#1d1d1f", size: phone ? 11 : 12 },
      dragmode: false,
      showlegend: true,
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
      xaxis: { type: "category", automargin: true },
      yaxis: {
        title: { text: phone ? "" : strings.total + " (" + currency + ")" },
        gridcolor: "#e3e6eb",
        automargin: true,
        rangemode: "tozero",
        tickvals: ticks.tickvals,
        ticktext: ticks.ticktext,
      },
      annotations: count
        ? []
        : [{ text: strings.noData, xref: "paper", yref: "paper", x: 0.5, y: 0.5, showarrow: false }],
      hoverlabel: { bgcolor: "#ffffff", font: { color: "#1d1d1f" } },
    };
  }

  function draw() {
    if (!answer) return Promise.resolve();
    var data = traces(answer.chosen, answer.bodies, answer.currency);
    var values = [];
    data.forEach(function (trace) {
      trace.y.forEach(function (v) {
        if (v !== null) values.push(v);
      });
    });
    var max = values.length ? Math.max.apply(null, values) : 0;
    return plotly().then(function (Plotly) {
      chart.plotlyBundle = Plotly; // the chart menu downloads with the bundle that drew it
      return Plotly.react(chart, data, layout(answer.currency, values.length, max), plotConfig).then(function () {
        chart.classList.add("drawn");
        chart.setAttribute("data-drawn", String(Date.now()));
        chart.setAttribute("data-series", answer.chosen.keys.join(","));
      });
    });
  }

  function load(params) {
    var chosen = selection(params);
    if (!chosen) {
      answer = null;
      figure.hidden = true;
      chart.removeAttribute("data-series");
      return;
    }
    var currency = T.currencyOf(params);
    T.wake(); // no server-drawn view of a comparison: plotly draws it (and the page's chart) now
    figure.hidden = false;
    caption.textContent = T.format.interpolate(
      chosen.by === "company" ? strings.compareCompanies : strings.compareCountries,
      { currency: currency }
    );
    loadAll(params, chosen)
      .then(function (bodies) {
        if (figure.hidden) return; // fewer than two were chosen meanwhile
        answer = { chosen: chosen, bodies: bodies, currency: currency };
        return draw();
      })
      .catch(T.failed);
  }

  PHONE.addEventListener("change", function () {
    draw().catch(T.failed);
  });

  T.onChange(function (params, reason) {
    if (reason === "page") return;
    load(params);
  });

  T.afterPaint().then(function () {
    load(T.state());
  });
})();
