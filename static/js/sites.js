/* Sites on the map page: points over the country shading, from /api/v1/sites/ with the page's filters.
 *
 * map.js draws the countries and redraws them (Plotly.react) on every filter change, which drops any
 * other trace; the sites are added again each time it marks the map drawn (data-drawn). Sites at the
 * same point are one marker listing them all. A point is coloured by its lead company and sized by
 * the amount counted there alone or by its capacity in MW (investments/sites.py says what a site adds
 * up to); a click lists the sites under it with links to their pages and records. */
(function () {
  "use strict";

  var T = window.Tracker;
  var container = document.getElementById("map");
  var controls = document.querySelector("[data-site-controls]");
  if (!T || !container || !controls) return;

  var panel = document.querySelector("[data-site-panel]");
  var TRACE = "sites";
  var MIN_SIZE = 7;
  var MAX_SIZE = 34;
  // Okabe-Ito without its blues (the countries are shaded in blue) and a few more; companies take them
  // in name order.
  var PALETTE = ["#E69F00", "#009E73", "#CC79A7", "#D55E00", "#000000", "#F0E442", "#8c564b", "#7f7f7f", "#9467bd", "#17becf", "#e377c2", "#bcbd22"];
  // Page state that is not an investment filter of the sites API.
  var NOT_FILTERS = ["currency", "page", "page_size", "ordering", "q", "layer", "site_size", "scale", "per"];

  function t(name) {
    return controls.getAttribute("data-t-" + name) || name;
  }
  function checked(name) {
    var input = controls.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : null;
  }
  function pageOf(ref) {
    return controls.getAttribute("data-site-page").replace("site-ref", encodeURIComponent(ref));
  }
  function recordOf(ref) {
    return controls.getAttribute("data-record-page").replace("REF", encodeURIComponent(ref));
  }

  /* Sites sharing a point become one group, coloured by the company of its largest site by `by`. */
  function groups(sites, by) {
    var byPoint = {};
    var order = [];
    sites.forEach(function (site) {
      var key = site.latitude.toFixed(4) + "," + site.longitude.toFixed(4);
      if (!byPoint[key]) {
        byPoint[key] = { lat: site.latitude, lon: site.longitude, sites: [], amount: 0, mw: 0 };
        order.push(key);
      }
      var group = byPoint[key];
      group.sites.push(site);
      group.amount += Number(site.amount_eur) || 0;
      group.mw += Number(site.capacity_mw) || 0;
    });
    return order.map(function (key) {
      var group = byPoint[key];
      var field = by === "mw" ? "capacity_mw" : "amount_eur";
      group.sites.sort(function (a, b) {
        return (Number(b[field]) || 0) - (Number(a[field]) || 0) || a.name.localeCompare(b.name);
      });
      group.company = group.sites[0].company;
      return group;
    });
  }

  function statusesOf(site) {
    var seen = {};
    site.investments.forEach(function (investment) {
      seen[T.config.statuses[investment.status] || investment.status] = true;
    });
    return Object.keys(seen).join(", ");
  }

  function hoverOf(group) {
    var lines = [];
    if (group.sites.length > 1) lines.push("<b>" + group.sites.length + " " + t("sites") + "</b>");
    group.sites.forEach(function (site) {
      var names = site.investments.map(function (i) { return i.company_name; });
      var companies = names.filter(function (name, index) { return names.indexOf(name) === index; }).join(", ");
      lines.push("<b>" + site.name + "</b>");
      lines.push(t("company") + ": " + companies);
      lines.push(t("amount") + ": " + (Number(site.amount_eur) > 0 ? T.format.short(Number(site.amount_eur), "EUR") : "—"));
      if (site.capacity_mw !== null) lines.push(t("mw") + ": " + T.format.whole(site.capacity_mw) + " MW");
      if (site.gpus !== null) lines.push(t("gpus") + ": " + T.format.whole(site.gpus));
      lines.push(t("status") + ": " + statusesOf(site));
      lines.push(t("records") + ": " + site.investments.map(function (i) { return i.ref; }).join(", "));
    });
    lines.push("<i>" + t("click") + "</i>");
    return lines.join("<br>");
  }

  function sizeOf(value, largest) {
    if (!(value > 0) || !(largest > 0)) return MIN_SIZE;
    // Area proportional to the value: the radius grows with its square root.
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(value / largest);
  }

  function traces(sites, by) {
    var all = groups(sites, by);
    var largest = Math.max.apply(null, all.map(function (g) { return by === "mw" ? g.mw : g.amount; }).concat([0]));
    var companies = [];
    all.forEach(function (group) {
      if (companies.indexOf(group.company) < 0) companies.push(group.company);
    });
    companies.sort();
    return companies.map(function (company, index) {
      var mine = all.filter(function (group) { return group.company === company; });
      var sample = mine[0].sites[0].investments.filter(function (i) { return i.company === company; })[0];
      return {
        type: "scattergeo",
        name: sample ? sample.company_name : company,
        meta: { layer: TRACE, groups: mine },
        lat: mine.map(function (g) { return g.lat; }),
        lon: mine.map(function (g) { return g.lon; }),
        text: mine.map(hoverOf),
        hovertemplate: "%{text}<extra></extra>",
        mode: "markers",
        marker: {
          color: PALETTE[index % PALETTE.length],
          size: mine.map(function (g) { return sizeOf(by === "mw" ? g.mw : g.amount, largest); }),
          opacity: 0.85,
          line: { color: "rgba(29,29,31,0.75)", width: 1 },
        },
      };
    });
  }

  var sites = null;
  var busy = Promise.resolve();

  function ours(trace) {
    return trace.meta && trace.meta.layer === TRACE;
  }

  /* Put the layers in the state the switches say: sites redrawn, countries shown or hidden. */
  function render() {
    if (!container.data || !window.Plotly) return busy;
    busy = busy.then(function () {
      var layer = checked("layer") || "both";
      var data = container.data;
      var old = [];
      var countries = [];
      data.forEach(function (trace, index) {
        if (ours(trace)) old.push(index);
        else if (trace.type === "choropleth") countries.push(index);
      });
      var step = old.length ? window.Plotly.deleteTraces(container, old) : Promise.resolve();
      return step
        .then(function () {
          var fresh = countries.filter(function (index) { return index < container.data.length; });
          return window.Plotly.restyle(container, { visible: layer === "sites" ? false : true }, fresh);
        })
        .then(function () {
          if (layer === "countries" || !sites) return null;
          return window.Plotly.addTraces(container, traces(sites, checked("site_size") || "amount"));
        })
        .then(function () {
          bindClick();
          // Top left, over the Atlantic: the countries' colour bar holds the right-hand side.
          window.Plotly.relayout(container, {
            showlegend: layer !== "countries",
            legend: { x: 0, y: 1, xanchor: "left", yanchor: "top", bgcolor: "rgba(255,255,255,0.7)", itemsizing: "constant", font: { size: 11 } },
          });
          container.setAttribute("data-sites-drawn", layer === "countries" ? "0" : String(sites ? sites.length : 0));
        });
    }).catch(T.failed);
    return busy;
  }

  function query(params) {
    var q = new URLSearchParams(params);
    NOT_FILTERS.forEach(function (name) { q.delete(name); });
    Object.keys(T.config.fixed || {}).forEach(function (name) { q.set(name, T.config.fixed[name]); });
    return q;
  }

  var load = T.latest(function (params) {
    var q = query(params).toString();
    return T.fetchJSON(controls.getAttribute("data-sites-api") + (q ? "?" + q : ""));
  });

  function refresh(params) {
    return load(params).then(function (body) {
      sites = body;
      return render();
    }).catch(T.failed);
  }

  function showPanel(group) {
    if (!panel) return;
    panel.textContent = "";
    group.sites.forEach(function (site) {
      var records = site.investments.map(function (investment) {
        var label = investment.ref + (investment.shared ? " (" + t("shared") + ")" : "");
        return T.element("li", {}, [T.element("a", { href: recordOf(investment.ref), text: label }), document.createTextNode(" " + investment.title)]);
      });
      panel.appendChild(T.element("h3", {}, [T.element("a", { href: pageOf(site.ref), text: site.name })]));
      panel.appendChild(T.element("ul", {}, records));
    });
    panel.hidden = false;
  }

  // map.js redraws with Plotly.react and then stamps data-drawn: the sites go back on after each.
  new MutationObserver(function () {
    if (sites) render();
  }).observe(container, { attributes: true, attributeFilter: ["data-drawn"] });

  var clickBound = false;
  function bindClick() {
    if (clickBound || !container.on) return;
    clickBound = true;
    container.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (!point || !point.data || !ours(point.data)) return;
      showPanel(point.data.meta.groups[point.pointNumber]);
    });
  }

  controls.addEventListener("change", function () {
    var params = T.state();
    params.set("layer", checked("layer"));
    params.set("site_size", checked("site_size"));
    window.history.replaceState(null, "", "?" + params.toString() + window.location.hash);
    T.wake(); // the layers are plotly's: the server-drawn first view shades the countries only
    render();
  });

  // The switches start as the address says (a site page links to ?layer=both).
  var start = T.state();
  ["layer", "site_size"].forEach(function (name) {
    var value = (start.get(name) || "").replace(/[^a-z]/g, "");
    var input = value && controls.querySelector("input[name=" + name + "][value=" + value + "]");
    if (input) input.checked = true;
  });
  // A link asking for the sites (a site page links to ?layer=both) is drawn by plotly straight away.
  if (/^(both|sites)$/.test(start.get("layer") || "")) T.wake();

  T.onChange(function (params, reason) {
    if (reason === "page") return;
    refresh(params);
  });
  // The sites are drawn over plotly's map: fetched once the map is wanted (Tracker.whenWanted).
  T.whenWanted().then(function () {
    return refresh(T.state());
  });
})();
