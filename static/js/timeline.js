/* The timeline page: one marker per investment (from /api/v1/investments/), sized by amount and
 * coloured by company, with the cumulative total of the counted ones. A toggle spreads multi-year
 * pledges evenly over their period instead of placing them on the day they were announced. */
(function () {
  "use strict";

  var T = window.Tracker;
  var container = document.getElementById("timeline");
  if (!T || !container) return;

  var strings = T.strings;
  var PAGE_SIZE = 500; // the API's largest page
  var MAX_PAGES = 10; // beyond 5,000 markers the chart stops being readable anyway
  var MAX_MARKER = 30; // px, the largest investment's diameter (smaller markers overlap less)
  // Okabe–Ito, each with 3:1 contrast on white, and a marker shape per company: told apart by
  // colour-blind readers and in greyscale print. Companies past the seventh share "Other companies".
  var PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a5195"];
  var SHAPES = ["circle", "square", "diamond", "triangle-up", "triangle-down", "pentagon", "hexagon"];
  var OTHER_COLOUR = "#767676";
  var OTHER_SHAPE = "star";
  var PHONE = window.matchMedia("(max-width: 40rem)");
  var spreadToggle = document.querySelector("[data-spread]");
  /* The server draws the first view (templates/investments/_svg_timeline.html: the counted totals by
   * year and their running sum); plotly and the investments come in when the reader wants the chart
   * (Tracker.whenWanted: a pointer over it, a filter or the spread switch changed) and draw over it. */
  var firstView = document.querySelector("[data-svg-timeline]");
  T.wakeOn(container.closest(".chart-stack"));
  T.prefetchWhenIdle([container.getAttribute("data-plotly")]);
  var plotlyReady = T.whenWanted().then(function () {
    return T.loadScript(container.getAttribute("data-plotly"));
  });
  var note = document.querySelector("[data-chart-note]");

  function amountOf(investment, currency) {
    var value = currency === "USD" ? investment.amount_usd : investment.amount_eur;
    return value === null || value === undefined ? null : Number(value);
  }

  function spreadYears(investment) {
    var start = investment.period_start;
    var end = investment.period_end;
    if (!start || !end || end <= start) return null;
    var years = [];
    for (var year = start; year <= end; year++) years.push(year);
    return years;
  }

  function firstSource(investment) {
    var sources = investment.sources || investment.announcements || [];
    if (!sources.length) return strings.noSource;
    var first = sources[0].publisher || strings.source;
    return sources.length > 1 ? first + " +" + (sources.length - 1) : first;
  }

  /* Fetch every page of the state's investments, oldest first, up to MAX_PAGES pages. */
  var loadInvestments = T.latest(function (params) {
    var query = { ordering: "announced_on", page_size: PAGE_SIZE, page: 1 };
    return T.investments(params, query).then(function (first) {
      var pages = Math.min(Math.ceil(first.count / PAGE_SIZE), MAX_PAGES);
      var rest = [];
      for (var page = 2; page <= pages; page++) {
        rest.push(T.investments(params, Object.assign({}, query, { page: page })));
      }
      return Promise.all(rest).then(function (more) {
        var results = first.results.concat.apply(first.results, more.map(function (data) {
          return data.results;
        }));
        return { count: first.count, results: results };
      });
    });
  });
  var loadMonths = T.latest(T.stats);

  /* Points of the chart: one per investment, or one per year of a multi-year pledge when spread. */
  function points(investments, currency, spread) {
    var out = [];
    investments.forEach(function (investment) {
      var amount = amountOf(investment, currency);
      if (!investment.announced_on) return;
      if (amount === null) {
        out.push({ investment: investment, x: investment.announced_on, amount: null, share: null });
        return;
      }
      // Only money that counts is spread: a running total "since 2009" is context, not a yearly sum.
      var years = spread && investment.counted !== false ? spreadYears(investment) : null;
      if (!years) {
        out.push({ investment: investment, x: investment.announced_on, amount: amount, share: null });
        return;
      }
      years.forEach(function (year) {
        out.push({ investment: investment, x: year + "-07-01", amount: amount / years.length, share: years });
      });
    });
    return out;
  }

  function cumulative(series) {
    series.sort(function (a, b) {
      return a.x < b.x ? -1 : a.x > b.x ? 1 : 0;
    });
    var x = [];
    var y = [];
    var sum = 0;
    series.forEach(function (point) {
      if (point.amount === null) return;
      sum += point.amount;
      if (x.length && x[x.length - 1] === point.x) y[y.length - 1] = sum;
      else {
        x.push(point.x);
        y.push(sum);
      }
    });
    return { x: x, y: y };
  }

  function traces(data, months, currency, spread, axis) {
    var all = points(data.results, currency, spread);
    var largest = all.reduce(function (max, p) {
      return Math.max(max, p.amount || 0);
    }, 1);
    var totals = {};
    var names = {};
    all.forEach(function (point) {
      var company = point.investment.company;
      names[company.slug] = company.name;
      totals[company.slug] = (totals[company.slug] || 0) + (point.investment.counted !== false ? point.amount || 0 : 0);
    });
    var ranked = Object.keys(totals).sort(function (a, b) {
      return totals[b] - totals[a] || (names[a] < names[b] ? -1 : 1);
    });
    var shown = ranked.length <= PALETTE.length ? ranked : ranked.slice(0, PALETTE.length - 1);
    var groups = shown.map(function (slug, index) {
      return { name: names[slug], colour: PALETTE[index], shape: SHAPES[index], points: [] };
    });
    var other = { name: strings.otherCompanies, colour: OTHER_COLOUR, shape: OTHER_SHAPE, points: [] };
    all.forEach(function (point) {
      var index = shown.indexOf(point.investment.company.slug);
      (index === -1 ? other : groups[index]).points.push(point);
    });
    if (other.points.length) groups.push(other);
    function rank(point) {
      return point.amount === null ? 2 : point.investment.counted === false ? 1 : 0;
    }
    var out = groups.map(function (group) {
      // The legend shows a trace's first marker: make it a plain, counted one where there is one.
      group.points.sort(function (a, b) {
        return rank(a) - rank(b);
      });
      var colour = group.colour;
      return {
        type: "scatter",
        mode: "markers",
        name: group.name,
        legendgroup: group.name,
        x: group.points.map(function (p) { return p.x; }),
        y: group.points.map(function (p) { return p.amount === null ? axis.undisclosed : p.amount; }),
        customdata: group.points.map(function (p) {
          var inv = p.investment;
          var figure = inv.amount === null ? strings.undisclosed : T.format.short(inv.amount, inv.currency);
          if (inv.amount !== null && inv.currency !== currency) figure += " · " + T.format.short(amountOf(inv, currency), currency);
          if (p.share) figure += " · " + T.format.short(p.amount, currency) + " " + strings.perYear + " (" + p.share[0] + "–" + p.share[p.share.length - 1] + ")";
          return [inv.title, inv.company.name, figure, T.format.announced(inv), firstSource(inv), inv.counted === false ? strings.notCounted : strings.counted, inv.ref];
        }),
        marker: {
          color: colour,
          size: group.points.map(function (p) {
            return p.amount === null ? 7 : Math.max(6, MAX_MARKER * Math.sqrt(p.amount / largest));
          }),
          symbol: group.points.map(function (p) {
            if (p.amount === null) return "x-thin-open";
            return p.investment.counted === false ? group.shape + "-open" : group.shape;
          }),
          opacity: 0.75,
          line: { color: colour, width: 1.5 },
        },
        hovertemplate:
          "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>" +
          strings.announced + ": %{customdata[3]}<br>" + strings.source + ": %{customdata[4]}<br>" +
          "%{customdata[5]}<extra></extra>",
      };
    });

    var line;
    var complete = data.results.length >= data.count;
    if (!spread && !complete) {
      line = monthlyLine(months);
    } else {
      line = cumulative(
        points(data.results.filter(function (inv) {
          return inv.counted !== false;
        }), currency, spread)
      );
    }
    out.push({
      type: "scatter",
      mode: "lines",
      name: strings.cumulative,
      x: line.x,
      y: line.y,
      xaxis: "x",
      yaxis: "y2",
      showlegend: false,
      customdata: line.y.map(function (value) {
        return T.format.short(value, currency);
      }),
      line: { color: "#1d1d1f", width: 2, shape: "hv" },
      hovertemplate: strings.cumulative + ": %{customdata}<br>%{x}<extra></extra>",
    });
    axis.cumulativeMax = line.y.length ? line.y[line.y.length - 1] : 0;
    axis.dates = all.map(function (p) { return p.x; }).concat(line.x).sort();
    return out;
  }

  /* Log axis ticks at powers of ten, in words of the page's language, and a strip for undisclosed
   * amounts one decade under the smallest figure. */
  function amountAxis(investments, currency) {
    var amounts = investments
      .map(function (inv) {
        return amountOf(inv, currency);
      })
      .filter(function (value) {
        return value !== null && value > 0;
      });
    var low = Math.floor(Math.log10(amounts.length ? Math.min.apply(null, amounts) : 1e6));
    var high = Math.ceil(Math.log10(amounts.length ? Math.max.apply(null, amounts) : 1e10));
    var tickvals = [Math.pow(10, low - 1)];
    var ticktext = [strings.undisclosed];
    for (var power = low; power <= high; power++) {
      tickvals.push(Math.pow(10, power));
      ticktext.push(T.format.short(Math.pow(10, power), "").trim());
    }
    return { undisclosed: Math.pow(10, low - 1), tickvals: tickvals, ticktext: ticktext, range: [low - 1.3, high + 0.2] };
  }

  /* The cumulative line from /api/v1/stats/?by=month: exact even when not every marker was fetched. */
  function monthlyLine(months) {
    var x = [];
    var y = [];
    var sum = 0;
    ((months && months.results) || []).forEach(function (row) {
      if (!row.key) return;
      sum += Number(row.total) || 0; // a month whose amounts are all undisclosed (null) adds nothing
      x.push(row.key + "-01");
      y.push(sum);
    });
    return { x: x, y: y };
  }

  /* Two panels on one time axis: the investments above (log amounts), the cumulative total below
   * (linear), each with its own y-axis; the time axis spans the points drawn, padded by a quarter. */
  function layout(currency, axis) {
    var cumulativeTicks = T.linearTicks(axis.cumulativeMax);
    var phone = PHONE.matches;
    var range;
    if (axis.dates.length) {
      var first = new Date(axis.dates[0]);
      var last = new Date(axis.dates[axis.dates.length - 1]);
      var pad = Math.max((last - first) * 0.03, 45 * 864e5);
      range = [new Date(first - pad).toISOString().slice(0, 10), new Date(+last + pad).toISOString().slice(0, 10)];
    }
    return {
      margin: phone ? { l: 44, r: 8, t: 8, b: 30 } : { l: 64, r: 24, t: 10, b: 40 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", color: "#1d1d1f", size: phone ? 11 : 12 },
      hovermode: "closest",
      dragmode: false,
      showlegend: true,
      // Above the plot on a phone, where a legend below would take the plot's height.
      legend: phone
        ? { orientation: "h", x: 0, y: 1.0, yanchor: "bottom", font: { size: 11 }, itemsizing: "constant" }
        : { orientation: "v", x: 1.01, y: 1, font: { size: 12 }, itemsizing: "constant" },
      xaxis: { type: "date", gridcolor: "#e3e6eb", anchor: "y2", range: range },
      yaxis: {
        domain: [0.36, 1],
        type: "log",
        automargin: true,
        title: { text: phone ? "" : strings.amount + " (" + currency + ")" },
        gridcolor: "#e3e6eb",
        tickvals: axis.tickvals,
        ticktext: axis.ticktext,
        range: axis.range,
      },
      yaxis2: {
        domain: [0, 0.27],
        title: { text: phone ? "" : strings.cumulative + " (" + currency + ")", font: { size: 11 } },
        rangemode: "tozero",
        gridcolor: "#e3e6eb",
        automargin: true,
        tickvals: cumulativeTicks.tickvals,
        ticktext: cumulativeTicks.ticktext,
      },
      annotations: phone
        ? [
            { text: strings.amount + " (" + currency + ")", xref: "paper", yref: "paper", x: 0, y: 0.99, xanchor: "left", yanchor: "top", showarrow: false, font: { size: 10, color: "#595959" } },
            { text: strings.cumulative + " (" + currency + ")", xref: "paper", yref: "paper", x: 0, y: 0.27, xanchor: "left", yanchor: "top", showarrow: false, font: { size: 10, color: "#595959" } },
          ]
        : [],
      hoverlabel: { bgcolor: "#ffffff", bordercolor: "#0b3d91", font: { color: "#1d1d1f" } },
    };
  }

  var plotConfig = { displayModeBar: false, responsive: true, scrollZoom: false };
  var latestData = null;
  var latestMonths = null;
  var clickBound = false;

  function draw() {
    if (!latestData) return Promise.resolve();
    var params = T.state();
    var currency = T.currencyOf(params);
    var spread = spreadToggle && spreadToggle.checked;
    var axis = amountAxis(latestData.results, currency);
    var figure = traces(latestData, latestMonths, currency, spread, axis);
    var notes = [];
    if (latestData.results.length < latestData.count) {
      notes.push(T.format.interpolate(strings.capped, { shown: T.format.whole(latestData.results.length), count: T.format.whole(latestData.count) }));
    }
    var undrawn = latestData.results.filter(function (inv) {
      return !inv.announced_on;
    }).length;
    if (undrawn) notes.push(T.format.interpolate(strings.undated, { count: T.format.whole(undrawn) }));
    if (note) note.textContent = notes.join(" ");
    return plotlyReady.then(function () {
      return window.Plotly.react(container, figure, layout(currency, axis), plotConfig);
    }).then(function () {
      if (firstView) firstView.classList.add("replaced"); // plotly's chart now covers the server-drawn one
      container.classList.add("drawn");
      container.setAttribute("data-drawn", String(Date.now()));
      if (!clickBound) {
        clickBound = true;
        container.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          if (point && point.customdata) window.location.assign(T.pageUrl("investment", point.customdata[6]));
        });
      }
    });
  }

  function load(params) {
    started = true;
    var currency = T.currencyOf(params);
    Promise.all([loadInvestments(params), loadMonths("month", params)])
      .then(function (answers) {
        latestData = answers[0];
        latestMonths = answers[1];
        T.renderSummary(answers[1], currency);
        return draw();
      })
      .catch(T.failed);
  }

  // The layout differs on a phone (legend on top, titles inside): redraw when the width crosses over.
  PHONE.addEventListener("change", function () {
    draw().catch(T.failed);
  });

  if (spreadToggle) {
    spreadToggle.addEventListener("change", function () {
      var params = T.state();
      if (spreadToggle.checked) params.set("spread", "1");
      else params.delete("spread");
      window.history.pushState(null, "", "?" + params.toString());
      T.wake(); // spreading is plotly's: the first view gives the years of announcement
      draw().catch(T.failed);
    });
  }

  T.onChange(function (params, reason) {
    if (spreadToggle) spreadToggle.checked = params.get("spread") === "1";
    if (reason === "page") return;
    // The server-drawn view shows the state the page opened with: faded until plotly draws the new one.
    if (firstView && !container.classList.contains("drawn")) firstView.classList.add("stale");
    load(params);
  });

  // An address asking for pledges spread over their years is drawn by plotly straight away.
  if (spreadToggle && spreadToggle.checked) {
    if (firstView) firstView.classList.add("stale");
    T.wake();
  }
  // The investments (up to 5,000 of them) are fetched when the chart is wanted, with plotly.
  var started = false;
  T.whenWanted().then(function () {
    if (!started) load(T.state());
  });
})();
