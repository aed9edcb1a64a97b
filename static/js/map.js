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

  /* The server-drawn map (templates/investments/_svg_map.html) is the first view. Plotly and the map's
   * shapes come in when the reader wants them (Tracker.whenWanted: a pointer over the map, a filter or
   * switch changed) and draw over it. With hashed static file names plotly cannot derive the shapes'
   * URL from their name, so load them here and register them where plotly's geo module looks before
   * fetching. */
  var firstView = document.querySelector("[data-svg-map]");
  T.wakeOn(container.closest(".map-stack"));
  T.prefetchWhenIdle([container.getAttribute("data-plotly"), topojsonUrl]);
  var plotlyReady = T.whenWanted().then(function () {
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

  /* The colour scales. The default, as on the server-drawn first view (investments/svgmap.py, whose
   * classes() and CLASS_COLOURS this repeats step for step so that both views colour a country alike):
   * five natural-break classes of the countries with counted money, in ColorBrewer's Blues, which give
   * leaders far ahead their own classes. Quantile classes (as many countries in each), linear and
   * logarithmic are offered; the colour bar's title names the scale shown. */
  var CLASS_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  var SCALES = ["breaks", "quantile", "linear", "log"];
  var scaleControls = document.querySelector("[data-scale-controls]");

  function chosenScale() {
    var input = scaleControls && scaleControls.querySelector("input[name=scale]:checked");
    return input && SCALES.indexOf(input.value) >= 0 ? input.value : "breaks";
  }

  function positiveSorted(totals) {
    return totals
      .filter(function (t) {
        return t > 0;
      })
      .sort(function (a, b) {
        return a - b;
      });
  }
  function distinct(values) {
    return values.filter(function (v, i) {
      return i === 0 || v !== values[i - 1];
    });
  }

  /* Upper bounds of up to five natural-break classes (svgmap.classes: Fisher's exact optimisation). */
  function naturalBreaks(totals) {
    var values = positiveSorted(totals);
    var count = Math.min(CLASS_COLOURS.length, distinct(values).length);
    if (!count) return [];
    var n = values.length;
    var sums = [0];
    var squares = [0];
    values.forEach(function (value) {
      sums.push(sums[sums.length - 1] + value);
      squares.push(squares[squares.length - 1] + value * value);
    });
    function spread(first, last) {
      var total = sums[last + 1] - sums[first];
      return squares[last + 1] - squares[first] - (total * total) / (last - first + 1);
    }
    var cost = [[]];
    var start = [[]];
    for (var j = 0; j < n; j++) {
      cost[0].push(spread(0, j));
      start[0].push(0);
    }
    for (var c = 1; c < count; c++) {
      var row = [];
      var starts = [];
      for (j = 0; j < n; j++) {
        row.push(Infinity);
        starts.push(0);
      }
      for (j = c; j < n; j++) {
        for (var i = c; i <= j; i++) {
          var candidate = cost[c - 1][i - 1] + spread(i, j);
          if (candidate < row[j]) {
            row[j] = candidate;
            starts[j] = i;
          }
        }
      }
      cost.push(row);
      start.push(starts);
    }
    var bounds = [];
    var last = n - 1;
    for (c = count - 1; c >= 0; c--) {
      bounds.push(values[last]);
      last = start[c][last] - 1;
    }
    return distinct(bounds.sort(function (a, b) {
      return a - b;
    }));
  }

  /* Upper bounds of up to five quantile classes of the positive totals: as many countries in each. */
  function quantileBounds(totals) {
    var values = positiveSorted(totals);
    if (!values.length) return [];
    var count = Math.min(CLASS_COLOURS.length, values.length);
    var bounds = [];
    for (var i = 0; i < count; i++) {
      var bound = values[Math.min(values.length - 1, Math.ceil((values.length * (i + 1)) / count) - 1)];
      if (bounds.indexOf(bound) < 0) bounds.push(bound);
    }
    return bounds;
  }

  function classOf(total, bounds) {
    for (var i = 0; i < bounds.length; i++) if (total <= bounds[i]) return i;
    return bounds.length - 1;
  }

  /* Round steps (1, 2 or 5 times a power of ten) from 0 to past `max`, for the linear colour bar. */
  function linearTicks(max) {
    var raw = max / 4;
    var power = Math.pow(10, Math.floor(log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) {
      return m * power;
    }).filter(function (s) {
      return s >= raw;
    })[0];
    var ticks = [];
    for (var v = 0; v <= max; v += step) ticks.push(v);
    return ticks;
  }

  function amountText(value, currency) {
    return T.format.short(value, currency).trim();
  }

  /* z, its range, the colours and the colour bar's ticks of the countries with money, for a scale. */
  function colouring(totals, scale, label, fromOneBillion) {
    var max = totals.length ? Math.max.apply(null, totals) : 1;
    if (scale === "linear") {
      var ticks = linearTicks(max);
      return {
        z: totals,
        zmin: 0,
        zmax: max,
        colorscale: [[0, CLASS_COLOURS[0]], [0.5, CLASS_COLOURS[2]], [1, CLASS_COLOURS[4]]],
        tickvals: ticks,
        ticktext: ticks.map(function (v) {
          return v ? label(v) : "0";
        }),
        title: strings.scaleLinearTitle,
      };
    }
    if (scale === "log") {
      var z = totals.map(log10);
      // Totals start the log scale at 1 bn at most; normalised figures at their own smallest value.
      var zmin = Math.floor(Math.min.apply(null, z.concat(fromOneBillion || !z.length ? [9] : [])));
      var zmax = Math.ceil(Math.max.apply(null, z.concat([zmin + 1])));
      var powers = [];
      for (var p = zmin; p <= zmax; p++) powers.push(p);
      return {
        z: z,
        zmin: zmin,
        zmax: zmax,
        colorscale: [[0, CLASS_COLOURS[0]], [0.5, CLASS_COLOURS[2]], [1, CLASS_COLOURS[4]]],
        tickvals: powers,
        ticktext: powers.map(function (p) {
          return label(Math.pow(10, p));
        }),
        title: strings.scaleLogTitle,
      };
    }
    // Classes: z is the class, drawn in steps, one colour per class, its range as the tick.
    var bounds = scale === "quantile" ? quantileBounds(totals) : naturalBreaks(totals);
    var colours = CLASS_COLOURS.slice(CLASS_COLOURS.length - Math.max(bounds.length, 1));
    var steps = [];
    colours.forEach(function (colour, i) {
      steps.push([i / colours.length, colour], [(i + 1) / colours.length, colour]);
    });
    return {
      z: totals.map(function (total) {
        return classOf(total, bounds);
      }),
      zmin: -0.5,
      zmax: colours.length - 0.5,
      colorscale: steps,
      tickvals: colours.map(function (_, i) {
        return i;
      }),
      ticktext: bounds.map(function (bound, i) {
        return i ? label(bounds[i - 1]) + " – " + label(bound) : "≤ " + label(bound);
      }),
      title: scale === "quantile" ? strings.scaleQuantileTitle : strings.scaleBreaksTitle,
      bounds: bounds,
    };
  }

  /* Beside the map on wide screens, under it on narrow ones where the width is all the map's. */
  function wide() {
    return container.clientWidth >= 560;
  }
  /* The colour bar's width beside the map: its widest label (the class ranges are longest in French,
   * "12,3 Md – 45,6 Md") measured in the chart's font, the bar and the gaps, so that none is clipped. */
  var COLORBAR_MIN_PX = 130;
  var measure = null;
  function colorbarWidth(ticktext) {
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = "12px " + layout.font.family;
    var widest = ticktext.reduce(function (max, text) {
      return Math.max(max, measure.measureText(String(text)).width);
    }, 0);
    // The gap at the map's right (1% of the width), the bar, its pads and a margin.
    return Math.max(COLORBAR_MIN_PX, Math.ceil(widest + 0.01 * container.clientWidth) + 12 + 3 * 10 + 8);
  }
  // Inside the figure, with margins fixed: a colour bar that pushes the margins out makes plotly draw
  // the whole map a second time.
  function colorbarPlacement(mapRight) {
    if (wide()) return { orientation: "v", thickness: 12, len: 0.7, x: mapRight + 0.01, xanchor: "left", y: 0.5, yanchor: "middle" };
    return { orientation: "h", thickness: 10, len: 0.9, x: 0.5, xanchor: "center", y: 0, yanchor: "bottom" };
  }

  /* The map's share of the figure's width (wide screens) or height (narrow ones): the frame's shape is
   * the server-drawn map's (its viewBox), so the plotly map fills its domain and the colour bar sits
   * right beside it, not across a gap. */
  var COLORBAR_BELOW_PX = 64;
  function frameRatio() {
    var svg = document.querySelector("[data-svg-map] svg");
    var box = svg && svg.getAttribute("viewBox");
    var parts = box ? box.split(/\s+/).map(Number) : [];
    return parts.length === 4 && parts[2] > 0 ? parts[3] / parts[2] : 0.8;
  }
  function domain(colorbarPx) {
    var width = container.clientWidth || 1;
    var height = container.clientHeight || 1;
    var ratio = frameRatio();
    if (wide()) {
      var mapWidth = Math.min(width - colorbarPx, height / ratio);
      // Top-aligned: any height to spare goes below the map, not above it.
      return { x: [0, mapWidth / width], y: [Math.max(0, 1 - (mapWidth * ratio) / height), 1] };
    }
    var below = Math.min(0.3, COLORBAR_BELOW_PX / height);
    return { x: [0, 1], y: [below, 1] };
  }

  /* The window's outline (the server-drawn map strokes the same one): where Russia and Türkiye reach
   * the east edge they end at the frame, not at a cut of their own. Many points per side, so the lines
   * follow the meridians and parallels. */
  var WINDOW = { west: -26, east: 45, south: 26.5, north: 72 };
  function frameTrace() {
    var lon = [];
    var lat = [];
    var k;
    for (k = 0; k <= 50; k++) { lon.push(WINDOW.west + ((WINDOW.east - WINDOW.west) * k) / 50); lat.push(WINDOW.south); }
    for (k = 0; k <= 50; k++) { lon.push(WINDOW.east); lat.push(WINDOW.south + ((WINDOW.north - WINDOW.south) * k) / 50); }
    for (k = 0; k <= 50; k++) { lon.push(WINDOW.east - ((WINDOW.east - WINDOW.west) * k) / 50); lat.push(WINDOW.north); }
    for (k = 0; k <= 50; k++) { lon.push(WINDOW.west); lat.push(WINDOW.north - ((WINDOW.north - WINDOW.south) * k) / 50); }
    return {
      type: "scattergeo",
      mode: "lines",
      lon: lon,
      lat: lat,
      line: { color: "#c9ced6", width: 1 },
      hoverinfo: "skip",
      showlegend: false,
      meta: { layer: "frame" },
    };
  }

  /* The figure a country is coloured by: its total, or (?per=) per inhabitant or as a share of GDP. */
  function figure(row, per) {
    if (per === "capita") return Number(row.per_capita);
    if (per === "gdp") return Number(row.share_of_gdp);
    return Number(row.total);
  }

  function traces(body, currency, scale) {
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
      data.z.push(figure(row, per));
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

    // Totals, per-inhabitant figures and shares of GDP each labelled their own way on the colour bar.
    var label =
      per === "gdp"
        ? function (v) { return T.format.perText({ share_of_gdp: v }, per, currency); }
        : per === "capita"
          ? function (v) { return T.format.perText({ per_capita: v }, per, currency); }
          : function (v) { return amountText(v, ""); };
    var colours = colouring(data.z, scale, label, !per);

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
        z: colours.z,
        zmin: colours.zmin,
        zmax: colours.zmax,
        customdata: data.customdata,
        // Sequential blues, light to dark: readable in greyscale and by colour-blind readers.
        colorscale: colours.colorscale,
        meta: { scale: scale, bounds: colours.bounds || null },
        marker: { line: { color: "#ffffff", width: 0.6 } },
        // Placed by draw(), which sizes the map's domain to leave room for the colour bar's labels.
        colorbar: {
          // The title names the scale: quantile classes, linear or logarithmic.
          title: { text: (per === "gdp" ? strings.shareOfGdp : (per ? strings.perCapita : strings.total) + " (" + currency + ")") + "<br>" + colours.title, side: "top", font: { size: 12 } },
          tickvals: colours.tickvals,
          ticktext: colours.ticktext,
          ticks: "",
          outlinewidth: 0,
        },
        hovertemplate: hover([
          "<b>%{customdata[0]}</b>",
          strings.headline + ": %{customdata[1]}",
          strings.firm + ": %{customdata[4]}",
          strings.investments + ": %{customdata[2]}",
          strings.confidence + ": %{customdata[5]}",
          strings.topCompanies + ": %{customdata[3]}",
        ]),
      },
      frameTrace(),
    ];
  }

  var layout = {
    geo: {
      scope: "europe",
      resolution: 50,
      // Only the choropleth's own shapes: base layers (land, borders) would double the drawing work.
      showcoastlines: false,
      showland: false,
      showcountries: false,
      showocean: false,
      showlakes: false,
      showrivers: false,
      bgcolor: "rgba(0,0,0,0)",
      // The server-drawn map's window (investments/svgmap.py: WEST, EAST, SOUTH, NORTH, its parallels
      // and centre): the Canaries, Iceland, the North Cape and Cyprus inside, and the east edge at 45°E,
      // west of the 50°E at which the shapes file cuts Russia, so Russia and Türkiye end at the frame
      // (a meridian) rather than at a straight cut of their own.
      lonaxis: { range: [-26, 45] },
      lataxis: { range: [26.5, 72] },
      center: { lon: 9.5, lat: 49.25 },
      projection: { type: "conic conformal", parallels: [35, 65], rotation: { lon: 10 } },
      showframe: false,
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
        var data = traces(body, currency, chosenScale());
        var bar = data[2].colorbar;
        var labels = (bar.ticktext || []).concat(bar.title.text.split("<br>"));
        layout.geo.domain = domain(wide() ? colorbarWidth(labels) : 0);
        Object.assign(bar, colorbarPlacement(layout.geo.domain.x[1]));
        return window.Plotly.react(container, data, layout, plotConfig);
      })
      .then(function () {
        if (firstView) firstView.classList.add("replaced"); // plotly's map now lies over the server-drawn one
        container.classList.add("drawn");
        container.setAttribute("data-scale", chosenScale());
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
      var meta = [investment.company.name, T.format.short(amount, currency), (investment.announced_on || "").slice(0, 4)];
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

  /* The countries ranked by counted money, as bars beside the map: the same body, so the same
   * countries and figures as the map and the table of totals; each bar links to the country's page with
   * the page's filters. Plain HTML, so it needs no plotly trace type beyond the geo bundle's, reads with
   * a screen reader as an ordered list, and is there before plotly has loaded: the server draws the
   * first state's (investments/views.py, ranking()), this function every later one. */
  var rankList = document.querySelector("[data-rank-list]");
  function renderRanking(body, currency) {
    if (!rankList) return;
    var rows = body.results
      .filter(function (row) {
        return row.key && config.countries[row.key] && Number(row.total) > 0;
      })
      .sort(function (a, b) {
        return Number(b.total) - Number(a.total) || config.countries[a.key].name.localeCompare(config.countries[b.key].name);
      });
    var largest = rows.length ? Number(rows[0].total) : 1;
    var query = T.state();
    query.delete("country");
    query.delete("page");
    var search = query.toString();
    rankList.textContent = "";
    rows.forEach(function (row) {
      var name = config.countries[row.key].name;
      var bar = T.element("span", { class: "rank-bar", "aria-hidden": "true" });
      bar.style.width = Math.max(0.5, (100 * Number(row.total)) / largest).toFixed(1) + "%";
      rankList.appendChild(
        T.element("li", { "data-country": row.key }, [
          T.element("a", { href: T.pageUrl("country", row.key) + (search ? "?" + search : "") }, [
            T.element("span", { class: "rank-name", text: name }),
            T.element("span", { class: "rank-track" }, [bar]),
            T.element("span", { class: "rank-value", text: T.format.short(row.total, currency) }),
          ]),
        ])
      );
    });
    if (!rows.length) rankList.appendChild(T.element("li", { text: strings.none }));
  }

  var lastBody = null;
  var loadStats = T.latest(T.stats);
  T.onChange(function (params, reason) {
    if (reason === "page") return;
    var currency = T.currencyOf(params);
    // The server-drawn view shows the state the page opened with: faded until plotly draws the new one.
    if (firstView && !container.classList.contains("drawn")) firstView.classList.add("stale");
    loadStats("country", params)
      .then(function (body) {
        lastBody = body;
        showTotals(body, params);
        renderRanking(body, currency);
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
  if (scaleControls) {
    // The switch starts as the address says, and a change is kept in it (a shared link shows the same
    // scale); it only recolours, so the data already held is drawn again.
    var asked = T.state().get("scale");
    var input = SCALES.indexOf(asked) >= 0 && scaleControls.querySelector("input[name=scale][value=" + asked + "]");
    if (input) input.checked = true;
    scaleControls.addEventListener("change", function () {
      var params = T.state();
      if (chosenScale() === "breaks") params.delete("scale");
      else params.set("scale", chosenScale());
      var search = params.toString();
      window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      T.wake();
      if (lastBody) draw(lastBody, T.currencyOf(params)).catch(T.failed);
    });
  }
  // The server draws the totals in natural-break classes only: an address asking for another scale, or
  // for figures per inhabitant or as a share of GDP, is drawn by plotly straight away.
  var opened = T.state();
  if ((opened.get("scale") && chosenScale() !== "breaks") || T.perOf(opened)) {
    if (firstView) firstView.classList.add("stale");
    T.wake();
  }
  // The ranked bars come drawn with the page (views.ranking); they are redrawn after a filter change.
  if (embedded) {
    lastBody = JSON.parse(embedded.textContent);
    draw(lastBody, T.currencyOf(T.state())).catch(T.failed);
  }
})();
