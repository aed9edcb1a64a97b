/* The map page: a choropleth of counted investment by host country, drawn from the JSON of
 * /api/v1/stats/?by=country (embedded in the page for the first drawing, fetched after each filter
 * change), and the Europe-wide programmes beside it. */
(function () {
  "use strict";

  var T = window.Tracker;
  var container = document.getElementById("map");
  if (!T || !container) return;

  var strings = T.strings;
  var config = T.config;
  var TOPOJSON = "europe_50m";
  var PROGRAMMES_SHOWN = 8;
  var CONTEXT = ["RUS", "BLR"];
  var topojsonUrl = container.getAttribute("data-topojson");

  /* Plotly and the map's shapes are fetched once the page is painted: the summary and the totals come
   * with the page, the map follows. With hashed static file names plotly cannot derive the shapes'
   * URL from their name, so load them here and register them where plotly's geo module looks before
   * fetching. */
  var plotlyReady = T.afterPaint().then(function () {
    var topojson = window
      .fetch(topojsonUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + topojsonUrl);
        return response.json();
      })
      .then(function (topology) {
        window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
        window.PlotlyGeoAssets.topojson[TOPOJSON] = topology;
      });
    return Promise.all([T.loadScript(container.getAttribute("data-plotly")), topojson]);
  });

  function log10(value) {
    return Math.log(value) / Math.LN10;
  }

  function hover(lines) {
    return lines.join("<br>") + "<extra></extra>";
  }

  /* Beside the map on wide screens, under it on narrow ones where the width is all the map's. */
  function wide() {
    return container.clientWidth >= 560;
  }
  // Inside the figure, with margins fixed: a colour bar that pushes the margins out makes plotly draw
  // the whole map a second time.
  function colorbarPlacement() {
    if (wide()) return { orientation: "v", thickness: 12, len: 0.75, x: 1, xanchor: "right" };
    return { orientation: "h", thickness: 10, len: 0.9, x: 0.5, xanchor: "center", y: 0, yanchor: "bottom" };
  }

  /* The figure a country is coloured by: its total, or (?per=) per inhabitant or as a share of GDP. */
  function figure(row, per) {
    if (per === "capita") return Number(row.per_capita);
    if (per === "gdp") return Number(row.share_of_gdp);
    return Number(row.total);
  }

  function traces(body, currency) {
    var per = body.per;
    var withMoney = {};
    var noIndicator = {};
    var data = { locations: [], z: [], customdata: [] };
    body.results.forEach(function (row) {
      var country = config.countries[row.key];
      var total = Number(row.total);
      if (country && per && total > 0 && !(figure(row, per) > 0)) noIndicator[row.key] = true;
      if (!country || !(figure(row, per) > 0)) return;
      withMoney[row.key] = true;
      var companies = (row.top_companies || [])
        .map(function (top) {
          return top.name;
        })
        .join(", ");
      data.locations.push(country.iso3);
      data.z.push(log10(figure(row, per)));
      var headline = T.format.short(total, currency);
      if (row.undisclosed) headline += " " + T.format.interpolate(strings.plusUndisclosed, { count: T.format.whole(row.undisclosed) });
      if (per) headline = T.format.perText(row, per, currency) + " (" + headline + ")";
      data.customdata.push([
        country.name,
        headline,
        T.format.whole(row.count),
        companies || "—",
        T.format.short(row.total_firm, currency),
        T.format.confidence(row.confidence),
        row.key, // last: a click reads the country from there, on either trace
      ]);
    });
    var counts = {};
    body.results.forEach(function (row) {
      if (row.key) counts[row.key] = row.count;
    });
    // Every other European country in grey, so that the whole continent is drawn.
    var rest = { locations: [], z: [], customdata: [] };
    Object.keys(config.countries).forEach(function (iso2) {
      if (withMoney[iso2]) return;
      var country = config.countries[iso2];
      rest.locations.push(country.iso3);
      rest.z.push(0);
      var note = counts[iso2] ? T.format.whole(counts[iso2]) + " · " + strings.undisclosed : strings.noData;
      if (noIndicator[iso2]) note = strings.noIndicator;
      rest.customdata.push([country.name, note, iso2]);
    });

    // Totals start the scale at 1 bn at most; normalised figures at their own smallest value.
    var zmin = Math.floor(Math.min.apply(null, data.z.concat(per ? (data.z.length ? [] : [0]) : [9])));
    var zmax = Math.ceil(Math.max.apply(null, data.z.concat([zmin + 1])));
    var ticks = [];
    for (var power = zmin; power <= zmax; power++) ticks.push(power);

    return [
      {
        // Neighbours outside the tracker's scope, drawn for context only.
        type: "choropleth",
        locationmode: "ISO-3",
        locations: CONTEXT,
        z: CONTEXT.map(function () {
          return 0;
        }),
        colorscale: [
          [0, "#f1f3f5"],
          [1, "#f1f3f5"],
        ],
        showscale: false,
        marker: { line: { color: "#ffffff", width: 0.6 } },
        hoverinfo: "skip",
      },
      {
        type: "choropleth",
        locationmode: "ISO-3",
        locations: rest.locations,
        z: rest.z,
        customdata: rest.customdata,
        colorscale: [
          [0, "#e3e6eb"],
          [1, "#e3e6eb"],
        ],
        showscale: false,
        marker: { line: { color: "#ffffff", width: 0.6 } },
        hovertemplate: hover(["<b>%{customdata[0]}</b>", "%{customdata[1]}"]),
      },
      {
        type: "choropleth",
        locationmode: "ISO-3",
        locations: data.locations,
        z: data.z,
        zmin: zmin,
        zmax: zmax,
        customdata: data.customdata,
        // Sequential blues, light to dark: readable in greyscale and by colour-blind readers.
        colorscale: [
          [0, "#c6dbef"],
          [0.35, "#6baed6"],
          [0.7, "#2171b5"],
          [1, "#08306b"],
        ],
        marker: { line: { color: "#ffffff", width: 0.6 } },
        colorbar: Object.assign(colorbarPlacement(), {
          title: {
            text: per === "gdp" ? strings.shareOfGdp : (per ? strings.perCapita : strings.total) + " (" + currency + ")",
            side: "top",
          },
          tickvals: ticks,
          ticktext: ticks.map(function (p) {
            if (per === "gdp") return T.format.perText({ share_of_gdp: Math.pow(10, p) }, per, currency);
            return T.format.short(Math.pow(10, p), "").trim();
          }),
          outlinewidth: 0,
        }),
        hovertemplate: hover([
          "<b>%{customdata[0]}</b>",
          strings.headline + ": %{customdata[1]}",
          strings.firm + ": %{customdata[4]}",
          strings.investments + ": %{customdata[2]}",
          strings.confidence + ": %{customdata[5]}",
          strings.topCompanies + ": %{customdata[3]}",
        ]),
      },
    ];
  }

  var layout = {
    geo: {
      scope: "europe",
      resolution: 50,
      showframe: false,
      // Only the choropleth's own shapes: base layers (land, borders) would double the drawing work.
      showcoastlines: false,
      showland: false,
      showcountries: false,
      showocean: false,
      showlakes: false,
      showrivers: false,
      bgcolor: "rgba(0,0,0,0)",
      // Framed on the EU and its neighbours rather than the whole continent up to the Urals.
      lonaxis: { range: [-12, 42] },
      lataxis: { range: [33, 71] },
      center: { lon: 14, lat: 53 },
      projection: { type: "conic conformal" },
    },
    margin: { l: 0, r: 0, t: 0, b: 0, autoexpand: false },
    paper_bgcolor: "rgba(0,0,0,0)",
    dragmode: false,
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", color: "#1d1d1f" },
    hoverlabel: { bgcolor: "#ffffff", bordercolor: "#0b3d91", font: { color: "#1d1d1f" } },
  };

  var plotConfig = {
    displayModeBar: false,
    responsive: true,
    scrollZoom: false,
    // The topojson is registered above; this is only where plotly would look otherwise.
    topojsonURL: topojsonUrl.slice(0, topojsonUrl.lastIndexOf("/") + 1),
  };

  var clickBound = false;
  function draw(body, currency) {
    return plotlyReady
      .then(function () {
        layout.geo.domain = wide() ? { x: [0, 0.86], y: [0, 1] } : { x: [0, 1], y: [0.16, 1] };
        return window.Plotly.react(container, traces(body, currency), layout, plotConfig);
      })
      .then(function () {
        var first = document.querySelector("[data-svg-map]");
        if (first) first.classList.add("replaced"); // plotly's map now lies over the server-drawn one
        container.classList.add("drawn");
        container.setAttribute("data-drawn", String(Date.now()));
        if (window.performance && window.performance.mark) window.performance.mark("map-drawn");
        if (!clickBound) {
          clickBound = true;
          container.on("plotly_click", function (event) {
            var point = event.points && event.points[0];
            if (!point || !point.customdata) return;
            var iso2 = point.customdata[point.customdata.length - 1];
            var query = T.state();
            query.delete("country");
            query.delete("page");
            var search = query.toString();
            window.location.assign(T.pageUrl("country", iso2) + (search ? "?" + search : ""));
          });
        }
      });
  }

  // --- Europe-wide programmes ---------------------------------------------------------------------

  var programmeList = document.querySelector("[data-programme-list]");
  /* As the server lists them (views.europe_wide_programmes): the chosen country read as `covers`. */
  function programmeParams(params) {
    var query = new URLSearchParams(params);
    var countries = query.getAll("country").join(",");
    query.delete("country");
    query.delete("page");
    if (countries) query.set("covers", countries);
    query.set("europe_wide", "true");
    return query;
  }
  var loadProgrammes = T.latest(function (params) {
    return T.investments(programmeParams(params), { ordering: "-amount_eur", page_size: PROGRAMMES_SHOWN });
  });

  function renderProgrammes(data, params) {
    var currency = T.currencyOf(params);
    programmeList.textContent = "";
    data.results.forEach(function (investment) {
      var amount = currency === "USD" ? investment.amount_usd : investment.amount_eur;
      var meta = [investment.company.name, T.format.long(amount, currency), (investment.announced_on || "").slice(0, 4)];
      programmeList.appendChild(
        T.element("li", {}, [
          T.element("a", { href: T.pageUrl("investment", investment.ref), text: investment.title }),
          T.element("span", { class: "meta", text: meta.filter(Boolean).join(" · ") }),
        ])
      );
    });
    if (!data.results.length) programmeList.appendChild(T.element("li", { text: strings.programmesNone }));
    var all = document.querySelector("[data-programmes-all]");
    if (all) {
      all.href = "?" + programmeParams(params).toString();
      all.textContent = T.format.interpolate(strings.programmesAll, { count: T.format.whole(data.count) });
      all.parentNode.hidden = data.count <= data.results.length;
    }
  }

  // --- Wiring -------------------------------------------------------------------------------------

  /* The table alternative and the summary line, from the same body as the map. */
  var totalsTable = document.querySelector("[data-breakdown=country][data-owner=map]");
  function showTotals(body, params) {
    if (totalsTable) T.renderBreakdown(totalsTable, body);
    T.renderSummary(body, T.currencyOf(params));
  }

  var loadStats = T.latest(T.stats);
  T.onChange(function (params, reason) {
    if (reason === "page") return;
    var currency = T.currencyOf(params);
    loadStats("country", params)
      .then(function (body) {
        showTotals(body, params);
        return draw(body, currency);
      })
      .catch(T.failed);
    if (programmeList) {
      loadProgrammes(params)
        .then(function (data) {
          renderProgrammes(data, params);
        })
        .catch(T.failed);
    }
  });

  // The first state's data comes with the page (#map-stats), as do the totals table and summary.
  var embedded = document.getElementById("map-stats");
  if (embedded) {
    draw(JSON.parse(embedded.textContent), T.currencyOf(T.state())).catch(T.failed);
  }
})();
