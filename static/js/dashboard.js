/* Shared by every page with a filter bar.
 *
 * The filter state is the URL query string, with the API's parameter names, so that any view is a
 * link to share. A change is pushed to history and fetched from the API; back and forward replay it.
 * Page scripts (map.js, timeline.js) subscribe with Tracker.onChange and draw from the same JSON.
 * Every sentence shown comes translated from the page (#ui-strings), every name from #page-config.
 */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var config = readJSON("page-config");
  var strings = readJSON("ui-strings");
  if (!config || !strings) return;

  // Options of the page itself rather than filters: kept in the URL, never sent to the API.
  var VIEW_OPTIONS = ["spread", "scale"];
  // Filters of which several values may be chosen (multi-selects), comma-separated in the URL.
  var SEVERAL = ["country", "company"];
  var form = document.querySelector("[data-filters][data-live]");
  var statusLine = document.querySelector("[data-status]");
  var listeners = [];
  var language = config.language;

  // --- Formatting ---------------------------------------------------------------------------------

  /* Each format is made on its first use: making one loads the language's number data, which costs a
   * phone tens of milliseconds at load, when the server has written every figure already. */
  function lazyFormat(options) {
    var made = null;
    return {
      format: function (value) {
        if (!made) made = new Intl.NumberFormat(language, options);
        return made.format(value);
      },
    };
  }
  var wholeFormat = lazyFormat({ maximumFractionDigits: 0 });
  var perCapitaFormat = lazyFormat({ maximumFractionDigits: 2 });
  var percentFormat = lazyFormat({ style: "percent", maximumSignificantDigits: 3 });
  var shortFormat = lazyFormat({ notation: "compact", maximumFractionDigits: 1 });
  var longFormat = lazyFormat({ notation: "compact", compactDisplay: "long", maximumFractionDigits: 1 });

  function number(value) {
    return value === null || value === undefined || value === "" ? null : Number(value);
  }
  function whole(value) {
    var n = number(value);
    return n === null ? "—" : wholeFormat.format(n);
  }
  /* One format for amounts everywhere, as the server's Babel writes them (investments/numbers.py):
   * compact and in the page's language ("63.1B EUR", "63,1 Md EUR"); exact figures stay on the record
   * page and in the CSV. */
  function compact(value) {
    var n = number(value);
    return n === null ? "—" : shortFormat.format(n);
  }
  function short(value, currency) {
    var n = number(value);
    return n === null ? strings.undisclosed : shortFormat.format(n) + " " + currency;
  }
  function long(value, currency) {
    var n = number(value);
    return n === null ? strings.undisclosed : longFormat.format(n) + " " + currency;
  }
  function interpolate(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key];
    });
  }
  function pageUrl(kind, id) {
    return config.urls[kind].replace("{id}", encodeURIComponent(id));
  }
  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }
  function link(href, text) {
    return element("a", { href: href, text: text });
  }

  // --- State: the query string ----------------------------------------------------------------------

  function state() {
    return new URLSearchParams(window.location.search);
  }
  function perOf(params) {
    var per = params.get("per");
    return per === "capita" || per === "gdp" ? per : null;
  }
  /* A row's normalised figure, formatted: currency per inhabitant, or a percentage of GDP. */
  function perText(row, per, currency) {
    var value = number(per === "gdp" ? row.share_of_gdp : row.per_capita);
    if (value === null) return "—";
    if (per === "gdp") return percentFormat.format(value);
    return perCapitaFormat.format(value) + " " + currency;
  }
  function currencyOf(params) {
    return (params.get("currency") || "EUR").toUpperCase() === "USD" ? "USD" : "EUR";
  }
  /* The API query for a page's state: its path's fixed filter added, view options left out. */
  function apiQuery(params, extra) {
    var query = new URLSearchParams(params);
    VIEW_OPTIONS.forEach(function (name) {
      query.delete(name);
    });
    // The map's per-inhabitant / share-of-GDP choice goes to the by-country stats only (stats()).
    query.delete("per");
    Object.keys(config.fixed).forEach(function (name) {
      query.set(name, config.fixed[name]);
    });
    Object.keys(extra || {}).forEach(function (name) {
      if (extra[name] === null) query.delete(name);
      else query.set(name, extra[name]);
    });
    return query;
  }

  function formState() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      var text = String(value).trim();
      if (text) params.append(name, text);
    });
    // A multi-select gives repeated values (country=ES&country=DE): kept as one, as links write them.
    SEVERAL.forEach(function (name) {
      var chosen = params.getAll(name);
      if (chosen.length > 1) params.set(name, chosen.join(","));
    });
    if (params.get("currency") === "EUR") params.delete("currency"); // the default: keep links short
    var current = state();
    VIEW_OPTIONS.forEach(function (name) {
      if (current.has(name)) params.set(name, current.get(name));
    });
    return params;
  }

  /* The values chosen for a filter, comma-separated or repeated, without repeats. */
  function chosenValues(params, name) {
    var out = [];
    params.getAll(name).forEach(function (raw) {
      raw.split(",").forEach(function (value) {
        value = value.trim();
        if (value && out.indexOf(value) < 0) out.push(value);
      });
    });
    return out;
  }

  /* Select exactly `values` in a multi-select (letter case aside, as the API reads them); a value it
   * has no option for (from a shared link) gets one, so that the form still submits it. */
  function selectSeveral(field, values) {
    var wanted = values.map(function (value) {
      return value.toLowerCase();
    });
    var found = {};
    Array.prototype.forEach.call(field.options, function (option) {
      var key = option.value.toLowerCase();
      option.selected = wanted.indexOf(key) >= 0;
      if (option.selected) found[key] = true;
    });
    values.forEach(function (value) {
      if (!found[value.toLowerCase()]) {
        var option = element("option", { value: value, text: value });
        option.selected = true;
        field.appendChild(option);
      }
    });
  }

  /* Put the form back in the state of `params` (after back/forward or reset). */
  function syncForm(params) {
    if (!form) return;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (input) {
      input.remove();
    });
    var visible = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      visible[field.name] = true;
      if (field.multiple) {
        selectSeveral(field, chosenValues(params, field.name));
        return;
      }
      var value = params.get(field.name) || (field.name === "currency" ? "EUR" : "");
      if (field.tagName === "SELECT" && value) {
        var known = Array.prototype.some.call(field.options, function (option) {
          return option.value === value;
        });
        if (!known) field.appendChild(element("option", { value: value, text: value.replace(/,/g, ", ") }));
      }
      field.value = value;
    });
    var actions = form.querySelector(".actions");
    params.forEach(function (value, name) {
      if (!visible[name] && name !== "page" && VIEW_OPTIONS.indexOf(name) < 0) {
        form.insertBefore(element("input", { type: "hidden", name: name, value: value }), actions);
      }
    });
  }

  /* Links that carry the state: the language switcher, the CSV download and the Atom feed. */
  function updateLinks(params) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-language-link]"), function (anchor) {
      var url = new URL(anchor.href, window.location.href);
      url.search = params.toString();
      anchor.href = url.pathname + url.search;
    });
    var csv = document.querySelector("[data-csv-link]");
    if (csv) {
      var query = apiQuery(params, { page: null, page_size: null, currency: null, format: "csv" });
      csv.href = config.api.investments + "?" + query.toString();
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-totals-csv-link]"), function (anchor) {
      var totals = apiQuery(params, { page: null, page_size: null, format: "csv" });
      totals.set("by", anchor.getAttribute("data-totals-csv-link"));
      if (totals.get("by") === "country" && perOf(params)) totals.set("per", perOf(params));
      anchor.href = config.api.stats + "?" + totals.toString();
    });
    var feedQuery = apiQuery(params, { page: null, page_size: null, currency: null }).toString();
    document.querySelectorAll("[data-feed-link], link[rel=alternate][type='application/atom+xml']").forEach(
      function (link) {
        link.href = config.api.feed + (feedQuery ? "?" + feedQuery : "");
      }
    );
  }

  /* The announcement date as precisely as it is known, as the server writes it (Investment.announced). */
  function announcedDate(investment) {
    var date = investment.announced_on || "";
    var length = { year: 4, month: 7 }[investment.announced_precision] || 10;
    return date.slice(0, length);
  }

  /* Make `params` the state: push it to history (unless replaying one), then tell every listener. */
  function apply(params, options) {
    options = options || {};
    var query = params.toString();
    if (options.push !== false && query !== window.location.search.replace(/^\?/, "")) {
      window.history.pushState(null, "", query ? "?" + query : window.location.pathname);
    }
    updateLinks(params);
    wake(); // the charts show the new state: plotly draws it
    var reason = options.reason || "filters";
    listeners.forEach(function (listener) {
      listener(params, reason);
    });
  }

  function onChange(listener) {
    listeners.push(listener);
  }

  // --- Loading after the first paint ---------------------------------------------------------------

  /* Resolves once the page has been painted (the frame after the first one), so that what the chart
   * needs (plotly, its data) is fetched and run after the text, the totals and the table are shown.
   * A hidden tab paints nothing: it goes ahead after a second. */
  var painted = new Promise(function (resolve) {
    window.requestAnimationFrame(function () {
      window.setTimeout(resolve, 0);
    });
    window.setTimeout(resolve, 1000);
  });
  function afterPaint() {
    return painted;
  }

  // --- Plotly when the reader wants it ---------------------------------------------------------------

  /* Plotly is not run while the page loads: its bundle takes a quarter of a second to a second of a
   * phone's main thread to evaluate, and as much again to draw, and the server already draws each
   * chart's first view (the map's shading, the timeline's totals by year) as SVG. It comes in once the
   * reader reaches for a chart (a pointer over it or a touch on it, focus on its menu), changes a
   * filter or one of the chart's switches, or opens an address whose view only plotly draws; a page
   * script asks for it with wake() and waits for whenWanted(). Until then the bundle is fetched, not
   * run, when the browser is idle after the load, so that taking over is quick. */
  var wakeUp;
  var woken = new Promise(function (resolve) {
    wakeUp = resolve;
  });
  function wake() {
    wakeUp();
  }
  function whenWanted() {
    return woken.then(afterPaint);
  }
  /* Wake when a pointer enters `area` or a finger touches it, and with `focus` when focus moves into it.
   * Not on focus in a first view: its links are the keyboard's way through the chart (plotly's is not
   * reachable by keyboard), and taking over would hide the link that has the focus. */
  function wakeOn(area, focus) {
    if (!area) return;
    ["pointerenter", "touchstart"].concat(focus ? ["focusin"] : []).forEach(function (type) {
      area.addEventListener(type, wake, { once: true, passive: true });
    });
  }
  function whenIdle(callback) {
    if (window.requestIdleCallback) window.requestIdleCallback(callback, { timeout: 5000 });
    else window.setTimeout(callback, 1);
  }
  /* Fetch a bundle into the HTTP cache without running it (the hashed name is cached for a year). */
  function prefetch(src) {
    if (!src || document.querySelector("link[rel=prefetch][href='" + src + "']")) return;
    document.head.appendChild(element("link", { rel: "prefetch", href: src }));
  }
  function prefetchWhenIdle(sources) {
    var start = function () {
      whenIdle(function () {
        sources.forEach(prefetch);
      });
    };
    if (document.readyState === "complete") start();
    else window.addEventListener("load", start, { once: true });
  }

  var scripts = {};
  var plotlyOf = {};
  /* Run the script at `src` (this host's, as the CSP wants) once; resolves in a task after the one
   * that ran it, so that what follows (drawing) is not added to a long task of its own.
   * A plotly bundle sets window.Plotly: the first one loaded keeps that name (map.js and sites.js use
   * it), and a later one on the same page (the comparison's bars beside the map's geo bundle, which
   * has no bar trace) is kept in plotlyOf instead, put back in the same task it ran in. */
  function loadScript(src) {
    if (!scripts[src]) {
      scripts[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        var before = window.Plotly;
        script.src = src;
        script.onload = function () {
          if (window.Plotly !== before) {
            plotlyOf[src] = window.Plotly;
            if (before) window.Plotly = before;
          }
          window.setTimeout(resolve, 0);
        };
        script.onerror = function () {
          delete scripts[src];
          reject(new Error("could not load " + src));
        };
        document.head.appendChild(script);
      });
    }
    return scripts[src];
  }

  var bundleQueue = Promise.resolve();
  /* A plotly bundle (plotly-basic, plotly-geo) as its own object, whichever holds window.Plotly. One
   * bundle loads at a time, so that each is told apart as it sets the name (see loadScript). */
  function loadPlotly(src) {
    var loading = bundleQueue.catch(function () {}).then(function () {
      return loadScript(src).then(function () {
        return plotlyOf[src] || window.Plotly;
      });
    });
    bundleQueue = loading;
    return loading;
  }

  // --- Fetching -------------------------------------------------------------------------------------

  var inflight = {};
  // GET `address` as JSON; concurrent callers share one request. No custom header, so that a
  // <link rel=preload as=fetch crossorigin> of the same address is reused (the API answers any
  // Accept in JSON).
  function fetchJSON(address) {
    if (!inflight[address]) {
      inflight[address] = window
        .fetch(address, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + address);
          return response.json();
        })
        .finally(function () {
          delete inflight[address];
        });
    }
    return inflight[address];
  }
  function getJSON(url, query) {
    return fetchJSON(url + "?" + query.toString());
  }
  /* /api/v1/stats/ grouped by `by` for a state; concurrent callers share one request. */
  function stats(by, params) {
    var per = by === "country" ? perOf(params) : null;
    return getJSON(config.api.stats, apiQuery(params, { by: by, page: null, page_size: null, ordering: null, currency: currencyOf(params), per: per }));
  }
  function investments(params, extra) {
    return getJSON(config.api.investments, apiQuery(params, Object.assign({ currency: null }, extra || {})));
  }

  /* Run `load` for each new state, dropping the answer of a state that a newer one replaced. */
  function latest(load) {
    var generation = 0;
    return function () {
      var mine = ++generation;
      var args = arguments;
      return load.apply(null, args).then(function (result) {
        if (mine !== generation) throw { stale: true };
        return result;
      });
    };
  }

  function say(text) {
    if (statusLine) statusLine.textContent = text;
  }
  function failed(error) {
    if (error && error.stale) return;
    say(strings.failed);
    if (window.console) window.console.warn(error);
  }

  // --- Summary and breakdown tables -----------------------------------------------------------------

  /* The selection's totals as the server renders them (templates/investments/_summary.html): the firm
     and headline figures as a range when they differ, "undisclosed" rather than 0, "+ N undisclosed". */
  function renderSummary(body, currency) {
    var summary = document.querySelector("[data-summary]");
    if (!summary) return;
    var line = summary.querySelector("p");
    var note = summary.querySelector("[data-range-note]");
    var one = body.count === 1;
    var undisclosed = body.total === null || body.total === undefined;
    var range = !undisclosed && Number(body.total_firm) !== Number(body.total);
    var template = undisclosed
      ? one ? strings.summaryUndisclosedOne : strings.summaryUndisclosed
      : range ? one ? strings.summaryRangeOne : strings.summaryRange
      : one ? strings.summaryOne : strings.summary;
    var values = {
      "%(count)s": whole(body.count),
      "%(total)s": undisclosed ? "" : short(body.total, currency),
      "%(firm)s": range ? short(body.total_firm, currency) : "",
    };
    line.textContent = "";
    template.split(/(%\(\w+\)s)/).forEach(function (part) {
      if (values[part] !== undefined) line.appendChild(element("strong", { text: values[part] }));
      else if (part) line.appendChild(document.createTextNode(part));
    });
    if (body.undisclosed && !undisclosed) {
      line.appendChild(document.createTextNode(" " + interpolate(strings.plusUndisclosed, { count: whole(body.undisclosed) })));
    }
    if (note) note.hidden = !range;
  }

  /* A total cell: "undisclosed" for null (never 0), and "+ N undisclosed" beside a partial sum. */
  function totalCell(value, undisclosed) {
    if (value === null || value === undefined) return element("td", { class: "num", text: strings.undisclosed });
    var cell = element("td", { class: "num", text: compact(value) });
    if (undisclosed) {
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(element("span", { class: "meta", text: interpolate(strings.plusUndisclosed, { count: whole(undisclosed) }) }));
    }
    return cell;
  }

  function confidenceText(confidence) {
    return interpolate(strings.confidenceCounts, confidence || { high: 0, medium: 0, low: 0 });
  }

  function breakdownRow(by, row, topCompanies, body) {
    var name =
      by === "country"
        ? link(pageUrl("country", row.key), (config.countries[row.key] || {}).name || row.label)
        : link(pageUrl("company", row.key), row.label);
    var cells = [
      element("th", { scope: "row" }, [name]),
      totalCell(row.total_firm, 0),
      totalCell(row.total, row.undisclosed),
      element("td", { class: "num", text: whole(row.count) }),
      element("td", { text: confidenceText(row.confidence) }),
    ];
    if (topCompanies) {
      var companies = element("td");
      (row.top_companies || []).forEach(function (top, index) {
        if (index) companies.appendChild(document.createTextNode(", "));
        companies.appendChild(link(pageUrl("company", top.company), top.name));
      });
      cells.push(companies);
    }
    if (body && body.per) cells.push(element("td", { class: "num", text: perText(row, body.per, body.currency) }));
    return element("tr", {}, cells);
  }

  /* Redraw a breakdown table ([data-breakdown=country|company]) from a stats body; its top companies
   * column only where the table has one ([data-top-companies]: not on a company's own page). */
  function renderBreakdown(table, body) {
    var by = table.getAttribute("data-breakdown");
    var body_ = table.querySelector("tbody");
    var rows = body.results.filter(function (row) {
      return row.key !== null; // Europe-wide programmes are listed apart, as on the server
    });
    var perHeading = table.querySelector("[data-per-heading]");
    if (perHeading) {
      perHeading.hidden = !body.per;
      perHeading.textContent = body.per === "gdp" ? strings.shareOfGdp : strings.perCapita;
    }
    body_.textContent = "";
    rows.forEach(function (row) {
      body_.appendChild(breakdownRow(by, row, table.hasAttribute("data-top-companies"), body));
    });
    if (!rows.length) {
      var columns = table.querySelectorAll("thead th").length;
      body_.appendChild(element("tr", {}, [element("td", { colspan: columns, text: strings.none })]));
    }
    var caption = table.querySelector("[data-currency]");
    if (caption) caption.textContent = body.currency;
  }

  // --- The investments table ------------------------------------------------------------------------

  function sourcesOf(investment) {
    return investment.sources || investment.announcements || [];
  }

  function investmentRow(investment) {
    var title = element("td", {}, [link(pageUrl("investment", investment.ref), investment.title)]);
    if (investment.withdrawn || investment.counted === false) {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(element("span", { class: "badge badge-warn", text: investment.withdrawn ? strings.withdrawn : strings.notCounted }));
    }
    var country = investment.country
      ? link(pageUrl("country", investment.country.iso2), (config.countries[investment.country.iso2] || {}).name || investment.country.name)
      : strings.europeWide;
    var sources = element("ul", { class: "sources" });
    sourcesOf(investment).forEach(function (source) {
      sources.appendChild(
        element("li", {}, [element("a", { href: source.url, rel: "noopener noreferrer", text: source.publisher || strings.source })])
      );
    });
    if (!sources.childNodes.length) sources.appendChild(element("li", { text: strings.noSource }));
    var announced =
      investment.amount === null || investment.amount === undefined
        ? strings.undisclosed
        : short(investment.amount, investment.currency);
    return element("tr", {}, [
      element("td", { class: "num", text: announcedDate(investment) || "—" }),
      title,
      element("td", {}, [link(pageUrl("company", investment.company.slug), investment.company.name)]),
      element("td", {}, [country]),
      element("td", { class: "num", text: announced }),
      element("td", { class: "num", text: compact(investment.amount_eur) }),
      element("td", { class: "num", text: compact(investment.amount_usd) }),
      element("td", { text: config.statuses[investment.status] || investment.status }),
      element("td", { text: config.confidences[investment.confidence] || investment.confidence }),
      element("td", {}, [sources]),
    ]);
  }

  function pagerLink(params, page, rel, text) {
    var query = new URLSearchParams(params);
    query.set("page", page);
    return element("a", { href: "?" + query.toString(), rel: rel, "data-page": page, text: text });
  }

  function renderTable(section, data, params) {
    var rows = section.querySelector("[data-rows]");
    rows.textContent = "";
    data.results.forEach(function (investment) {
      rows.appendChild(investmentRow(investment));
    });
    if (!data.results.length) {
      rows.appendChild(element("tr", {}, [element("td", { colspan: 10, text: strings.none })]));
    }
    var size = Number(params.get("page_size")) || config.pageSize;
    var page = Number(params.get("page")) || 1;
    var pages = Math.max(1, Math.ceil(data.count / size));
    var caption = section.querySelector("caption");
    if (caption) caption.textContent = interpolate(strings.tableCaption, { count: whole(data.count) });
    var pager = section.querySelector("[data-pager]");
    var base = new URLSearchParams(params);
    base.delete("page");
    pager.textContent = "";
    if (data.previous) pager.appendChild(pagerLink(base, page - 1, "prev", strings.previous));
    pager.appendChild(element("span", { text: interpolate(strings.page, { page: page, pages: pages }) }));
    if (data.next) pager.appendChild(pagerLink(base, page + 1, "next", strings.next));
    var first = data.count ? (page - 1) * size + 1 : 0;
    say(
      data.count
        ? interpolate(strings.showing, { first: whole(first), last: whole(first + data.results.length - 1), count: whole(data.count) })
        : strings.none
    );
  }

  var loadTable = latest(function (params) {
    return investments(params, { page_size: params.get("page_size") || config.pageSize });
  });

  // --- Wiring ---------------------------------------------------------------------------------------

  var tableSection = document.querySelector("[data-table]");
  // Tables a page script draws itself (the map's) are left to it.
  var breakdowns = document.querySelectorAll("[data-breakdown]:not([data-owner])");
  var loadBreakdowns = {};
  Array.prototype.forEach.call(breakdowns, function (table) {
    loadBreakdowns[table.getAttribute("data-breakdown")] = latest(stats);
  });

  onChange(function (params, reason) {
    if (tableSection) {
      say(strings.loading);
      tableSection.setAttribute("aria-busy", "true");
      loadTable(params)
        .then(function (data) {
          renderTable(tableSection, data, params);
          if (reason === "page") tableSection.scrollIntoView({ block: "start" });
        })
        .catch(failed)
        .finally(function () {
          tableSection.removeAttribute("aria-busy");
        });
    }
    if (reason === "page") return;
    Array.prototype.forEach.call(breakdowns, function (table) {
      var by = table.getAttribute("data-breakdown");
      loadBreakdowns[by](by, params)
        .then(function (body) {
          renderBreakdown(table, body);
          renderSummary(body, currencyOf(params));
        })
        .catch(failed);
    });
  });

  if (form) {
    var typing = null;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply(formState());
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "q") return; // the search box applies as one types
      apply(formState());
    });
    form.addEventListener("input", function (event) {
      if (event.target.name !== "q") return;
      window.clearTimeout(typing);
      typing = window.setTimeout(function () {
        apply(formState());
      }, 350);
    });
    var reset = form.querySelector("[data-reset]");
    if (reset) {
      reset.addEventListener("click", function (event) {
        event.preventDefault();
        var params = new URLSearchParams();
        syncForm(params);
        apply(params);
      });
    }
  }

  if (tableSection) {
    tableSection.addEventListener("click", function (event) {
      var anchor = event.target.closest("a[data-page]");
      if (!anchor) return;
      event.preventDefault();
      var params = state();
      params.set("page", anchor.getAttribute("data-page"));
      apply(params, { reason: "page" });
    });
  }

  window.addEventListener("popstate", function () {
    var params = state();
    syncForm(params);
    apply(params, { push: false, reason: "history" });
  });

  /* Each chart's own menu: its image as PNG or SVG (drawn by plotly from the chart as shown), and the
   * link to the current view. Made here, so that a page without scripts shows no dead buttons. */
  function chartMenus() {
    document.querySelectorAll("[data-chart]").forEach(function (chart) {
      var figure = chart.closest("figure") || chart.parentNode;
      var menu = element("div", { class: "chart-menu", role: "group", "aria-label": strings.chartMenu });
      wakeOn(menu, true); // the images are plotly's: reaching for the menu brings it in
      ["png", "svg"].forEach(function (format) {
        var button = element("button", { type: "button", text: strings["download_" + format] });
        button.addEventListener("click", function () {
          wake();
          whenDrawn(chart).then(function () {
            // The bundle that drew the chart: a page may hold two (see loadPlotly).
            var plotly = chart.plotlyBundle || window.Plotly;
            var day = new Date().toISOString().slice(0, 10);
            return plotly.downloadImage(chart, {
              format: format,
              filename: "eu-ai-investment-" + chart.getAttribute("data-chart") + "-" + day,
              width: chart.clientWidth,
              height: chart.clientHeight,
            });
          }).catch(failed);
        });
        menu.appendChild(button);
      });
      var copy = element("button", { type: "button", text: strings.copyLink, "data-copy-link": "" });
      copy.addEventListener("click", function () {
        var done = function () {
          say(strings.linkCopied);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(window.location.href).then(done, function () {
            window.prompt(strings.copyLink, window.location.href);
          });
        } else {
          window.prompt(strings.copyLink, window.location.href);
        }
      });
      menu.appendChild(copy);
      figure.appendChild(menu);
    });
  }
  /* Resolves once plotly has drawn `chart` (page scripts mark it with the class "drawn"). */
  function whenDrawn(chart) {
    return new Promise(function (resolve) {
      if (chart.classList.contains("drawn")) return resolve();
      var watch = new MutationObserver(function () {
        if (!chart.classList.contains("drawn")) return;
        watch.disconnect();
        resolve();
      });
      watch.observe(chart, { attributes: true, attributeFilter: ["class"] });
    });
  }
  chartMenus();

  /* Round linear ticks (1, 2, 2.5 or 5 times a power of ten) for a plotly axis from 0 to past `max`, in
   * compact words of the page's language: the timeline's cumulative axis and the comparison's bars. */
  function linearTicks(max) {
    if (!(max > 0)) return { tickvals: [0], ticktext: ["0"] };
    var raw = max / 5;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (f) { return f * power; }).filter(function (v) { return v >= raw; })[0];
    var tickvals = [];
    for (var value = 0; value <= max + step / 2; value += step) tickvals.push(value);
    return { tickvals: tickvals, ticktext: tickvals.map(function (v) { return v ? short(v, "").trim() : "0"; }) };
  }

  window.Tracker = {
    config: config,
    strings: strings,
    state: state,
    apply: apply,
    onChange: onChange,
    stats: stats,
    investments: investments,
    latest: latest,
    failed: failed,
    say: say,
    currencyOf: currencyOf,
    renderSummary: renderSummary,
    renderBreakdown: renderBreakdown,
    fetchJSON: fetchJSON,
    afterPaint: afterPaint,
    wake: wake,
    wakeOn: wakeOn,
    whenWanted: whenWanted,
    prefetchWhenIdle: prefetchWhenIdle,
    loadScript: loadScript,
    loadPlotly: loadPlotly,
    chosen: chosenValues,
    perOf: perOf,
    format: { perText: perText, whole: whole, compact: compact, short: short, long: long, interpolate: interpolate, announced: announcedDate, confidence: confidenceText },
    linearTicks: linearTicks,
    pageUrl: pageUrl,
    element: element,
  };
})();
