/*
 * kbgen.js: the "Was this helpful?" widget, the contact page, FAQ anchors, and the one queue
 * that sends help-center events. Readable on purpose: no dependencies, no build step.
 *
 * WHAT LEAVES THE BROWSER
 *
 * Nothing at all unless the site was built with a help API URL (`api_url` in mkdocs.yml) AND
 * the browser does not ask for privacy (navigator.doNotTrack "1" or
 * navigator.globalPrivacyControl true). Otherwise events are POSTed as a JSON array
 * (Content-Type text/plain) to <api_url>/api/events, with exactly these fields:
 *
 *   every event   id       a random UUID made here (a retried event is stored once)
 *                 type     view | vote | contact | search | search_click | nps
 *                 session  a random id kept in this tab's sessionStorage; a new one after
 *                          30 minutes without activity
 *   view          article  the id of the article being read
 *                 rev      the revision of the article's text (12 hex digits, the page's
 *                          data-kb-rev), so reports can tell an edit's effect apart
 *   (every type) lang  the page's language, on help centers in several languages
 *   vote          article, rev, helpful (true/false),
 *                 reason   one of the five listed choices, if the customer picked one
 *                 comment  the text typed into "Tell us more", if any (at most 1,000 characters)
 *   contact       stage    "open" (the contact page was opened) or "submit" (the customer
 *                          went on to the helpdesk)
 *                 article  the last article read in this tab, if any
 *                 channel  "email" (mailto: hand-off), "web" (helpdesk form) or "widget"
 *                          (the helpdesk's widget on this page took over), on submit
 *   nps           score    0 to 10, the answer to the optional NPS question (plugin option
 *                          nps; asked at most once per session, in a sample of sessions)
 *                 comment  the reason typed, if any (at most 1,000 characters)
 *   search        query (the words typed), results (how many were shown), source ("site" or
 *                 "contact"); search_click: query, article, rank. Search events come from
 *                 search.js through window.kbgen.track(); the contact page sends its own.
 *
 * No cookies, no localStorage, no timestamps, URLs, referrers, screen sizes or user agent are
 * added by this script (the browser sends its usual request headers; the API stores none).
 * (search.js also sends the words typed to <api_url>/api/search for results, with record=0:
 * the API answers and stores nothing.)
 *
 * The contact page's "Continue to contact support" link goes to the helpdesk, not to the
 * help API. It carries the session id and the last article read (the same values as above,
 * so tickets can be joined to help sessions) in the helpdesk's own fields (plugin option
 * contact): Zendesk's tf_<field id> prefill, Freshdesk's widget custom_fields, Help Scout
 * Beacon's session-data, kb_session/kb_article on any other form's address; a mailto: body
 * ends with "Ref: " and the session id's first 8 hex digits. Under Do Not Track or Global
 * Privacy Control, or with no help API, it carries only the subject.
 *
 * Everything re-initialises after mkdocs-material's instant navigation (document$).
 */
(function () {
  "use strict";

  var SESSION_KEY = "kbgen.session";
  var ARTICLE_KEY = "kbgen.article";
  var NPS_KEY = "kbgen.nps";
  var SESSION_IDLE_MS = 30 * 60 * 1000;
  var FLUSH_DELAY_MS = 1000;
  var SEND_TIMEOUT_MS = 10000;
  var MAX_BATCH_EVENTS = 50;       // the API accepts at most 100 per request
  var MAX_BATCH_BYTES = 12 * 1024; // and at most 16 KiB per body
  var MAX_COMMENT = 1000;
  var SUGGEST_DELAY_MS = 150;
  var SEARCH_EVENT_DELAY_MS = 1200; // record what was typed once the customer pauses

  var MESSAGES = {
    sending: "Sending your feedback…",
    thanks: "Thank you for your feedback.",
    thanksNo: "Thank you for telling us. We will use it to improve this article.",
    failed: "We could not record your feedback right now. Please try again.",
    noService: "Sorry, this help center does not collect feedback, so your answer was not recorded.",
    privacy: "Feedback is off because your browser asks sites not to track you.",
    declined: "Your feedback was not recorded because your browser asks sites not to track you.",
    tooLong: "Please shorten your comment to 1000 characters or fewer.",
    npsChoose: "Please choose a score from 0 to 10, or choose No thanks.",
    npsFailed: "We could not send your answer right now. Please try again.",
    npsThanks: "Thank you for your answer.",
    subjectFirst: "Please tell us what you need help with first. We will suggest articles " +
      "that may answer it, then you can contact support."
  };

  /* ---------------------------------------------------------------- configuration */

  // kb-config sits outside the container that instant navigation swaps, so it keeps the
  // values of the first page loaded. `base` is relative to that page: resolve it once, now.
  var config = readConfig();
  shieldAlternates();

  /* mkdocs-material fetches "sitemap.xml" beside every <link rel="alternate"> on the page
   * when it loads, for its own language selector (which expects links to language roots).
   * kbgen's hreflang links name this page's own translations, so material would ask for
   * <page>/sitemap.xml: a 404 each, and with site_url set, a request to another host while
   * previewing. This script runs before that look (both scripts are deferred, material's
   * looks at DOMContentLoaded): hide the links from it, and put them back once the page has
   * loaded, so the page keeps them as written for search engines. */
  function shieldAlternates() {
    var links = document.querySelectorAll('link[rel="alternate"][hreflang]');
    if (!links.length) return;
    links.forEach(function (link) { link.rel = "kb-alternate"; });
    window.addEventListener("load", function () {
      links.forEach(function (link) { link.rel = "alternate"; });
    }, { once: true });
  }
  // The page's language: kbgen's messages in it (kbgen/theme_strings.py), English otherwise.
  Object.keys(config.messages).forEach(function (key) {
    if (typeof config.messages[key] === "string") MESSAGES[key] = config.messages[key];
  });

  function readConfig() {
    var element = document.getElementById("kb-config");
    var raw = {};
    if (element) {
      try {
        raw = JSON.parse(element.textContent) || {};
      } catch (error) {
        raw = {};
      }
    }
    var api = typeof raw.api === "string" ? raw.api.replace(/\/+$/, "") : "";
    var contact = typeof raw.contact === "string" ? raw.contact : "";
    var handoff = raw.handoff && typeof raw.handoff === "object" ? raw.handoff : {};
    if (typeof handoff.url !== "string") {
      handoff = { helpdesk: /^mailto:/i.test(contact) ? "email" : "web", url: contact };
    }
    return {
      endpoint: api ? new URL(api + "/api/events", location.href).href : "",
      contact: contact,
      handoff: handoff,
      nps: raw.nps && typeof raw.nps === "object" ? raw.nps : null,
      lang: typeof raw.lang === "string" ? raw.lang : "",
      messages: raw.messages && typeof raw.messages === "object" ? raw.messages : {},
      base: new URL(String(raw.base || ".").replace(/\/?$/, "/"), location.href)
    };
  }

  function privacyRequested() {
    return navigator.doNotTrack === "1" || window.doNotTrack === "1" ||
      navigator.globalPrivacyControl === true;
  }

  // Why events are not sent, or "" when they are.
  function trackingOff() {
    if (privacyRequested()) return "privacy";
    if (!config.endpoint) return "no-service";
    return "";
  }

  /* ---------------------------------------------------------------- ids and storage */

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    // randomUUID needs a secure context; getRandomValues does not (plain-http intranets).
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  // sessionStorage can throw (storage disabled, some private modes): fall back to memory,
  // which still gives one session per page load.
  var memory = {};
  function load(key) {
    try {
      return sessionStorage.getItem(key);
    } catch (error) {
      return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
    }
  }
  function save(key, value) {
    try {
      sessionStorage.setItem(key, value);
    } catch (error) {
      memory[key] = value;
    }
  }

  // The session id, renewed after 30 minutes without activity. Touching it counts as activity.
  function sessionId() {
    var now = Date.now();
    var stored = null;
    try {
      stored = JSON.parse(load(SESSION_KEY) || "null");
    } catch (error) {
      stored = null;
    }
    var fresh = stored && typeof stored.id === "string" && typeof stored.seen === "number" &&
      now - stored.seen < SESSION_IDLE_MS;
    var id = fresh ? stored.id : "s-" + uuid();
    save(SESSION_KEY, JSON.stringify({ id: id, seen: now }));
    return id;
  }

  /* ---------------------------------------------------------------- sending */

  var queue = [];
  var flushTimer = null;

  // Adds id and session; returns the event, or null when nothing may be sent.
  function stamp(event) {
    if (trackingOff()) return null;
    var full = { id: event.id || uuid(), type: event.type, session: sessionId() };
    Object.keys(event).forEach(function (key) {
      if (key !== "id" && key !== "session" && key !== "ts" && event[key] !== undefined) {
        full[key] = event[key];
      }
    });
    // The page's language, on a help center in several languages (kb-config `lang`).
    if (config.lang && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(config.lang)) full.lang = config.lang;
    return full;
  }

  // Queue an event for the next batch. The public entry point for search.js.
  function track(event) {
    var full = event && typeof event.type === "string" ? stamp(event) : null;
    if (!full) return false;
    queue.push(full);
    if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_DELAY_MS);
    return full;
  }

  // Take a queued event back if it has not been sent yet.
  function unqueue(event) {
    var index = queue.indexOf(event);
    if (index >= 0) queue.splice(index, 1);
  }

  // Send everything queued. sendBeacon survives the page being closed or left.
  function flush() {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
    if (!queue.length || !config.endpoint) return;
    batches(queue.splice(0)).forEach(function (body) {
      var sent = false;
      if (navigator.sendBeacon) {
        sent = navigator.sendBeacon(config.endpoint, new Blob([body], { type: "text/plain" }));
      }
      if (!sent) post(body).catch(function () { /* best effort, like the beacon */ });
    });
  }

  function batches(events) {
    var bodies = [];
    var current = [];
    events.forEach(function (event) {
      var candidate = current.concat([event]);
      if (current.length && (candidate.length > MAX_BATCH_EVENTS ||
          byteLength(JSON.stringify(candidate)) > MAX_BATCH_BYTES)) {
        bodies.push(JSON.stringify(current));
        candidate = [event];
      }
      current = candidate;
    });
    if (current.length) bodies.push(JSON.stringify(current));
    return bodies;
  }

  function byteLength(text) {
    return new TextEncoder().encode(text).length;
  }

  // POST a body now; resolves to the Response. text/plain keeps it a CORS "simple" request.
  function post(body) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS) : 0;
    return fetch(config.endpoint, {
      method: "POST",
      body: body,
      headers: { "Content-Type": "text/plain" },
      keepalive: true,
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).finally(function () {
      clearTimeout(timer);
    });
  }

  // Send one event right away and wait for the answer: "stored" (2xx with a body: committed,
  // or a retry of a committed event), "declined" (204: the API honoured a DNT/GPC header and
  // kept nothing) or "failed" (429, 5xx, network error, timeout).
  function sendNow(event) {
    return post(JSON.stringify([event])).then(function (response) {
      if (response.status === 204) return "declined";
      return response.ok ? "stored" : "failed";
    }, function () {
      return "failed";
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  /* ---------------------------------------------------------------- small DOM helpers */

  // Live regions announce changes only: clear first so a repeated message is read again.
  // A newer message cancels one still waiting to be shown.
  var sayTimers = new WeakMap();
  function say(status, text) {
    clearTimeout(sayTimers.get(status));
    status.textContent = "";
    if (text) {
      sayTimers.set(status, setTimeout(function () {
        status.textContent = text;
      }, 30));
    }
  }

  function debounce(fn, delay) {
    var timer = null;
    var debounced = function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        fn.apply(null, args);
      }, delay);
    };
    debounced.now = function () {
      clearTimeout(timer);
      timer = null;
      fn.apply(null, arguments);
    };
    return debounced;
  }

  /* ---------------------------------------------------------------- article pages */

  function initArticle(root) {
    var page = root.querySelector(".kb-page[data-kb-article]");
    if (!page || page.hasAttribute("data-kb-ready")) return;
    page.setAttribute("data-kb-ready", "");
    var article = page.getAttribute("data-kb-article");
    var rev = revisionOf(page);
    if (!trackingOff()) {
      save(ARTICLE_KEY, article);
      track(withRev({ type: "view", article: article }, rev));
    }
    var widget = page.querySelector("[data-kb-feedback]");
    if (widget) initFeedback(widget, article, rev);
  }

  // The revision the page was built from; left out when absent or malformed (an old page
  // in a cache), since the API rejects a bad one.
  function revisionOf(page) {
    var rev = page.getAttribute("data-kb-rev") || "";
    return /^[0-9a-f]{12}$/.test(rev) ? rev : null;
  }

  function withRev(event, rev) {
    if (rev) event.rev = rev;
    return event;
  }

  function initFeedback(widget, article, rev) {
    var parts = {
      yes: widget.querySelector('[data-kb-vote="yes"]'),
      no: widget.querySelector('[data-kb-vote="no"]'),
      form: widget.querySelector("[data-kb-reasons]"),
      comment: widget.querySelector("textarea"),
      count: widget.querySelector(".kb-feedback__count"),
      status: widget.querySelector("[data-kb-status]"),
      contact: widget.querySelector("[data-kb-feedback-contact]")
    };
    if (!parts.yes || !parts.no || !parts.form || !parts.status) return;
    if (privacyRequested()) {
      // Say so plainly rather than offer buttons that would silently do nothing.
      parts.yes.parentNode.hidden = true;
      parts.status.textContent = MESSAGES.privacy;
      return;
    }
    var state = { busy: false, pending: null, noQueued: null };

    // While a vote is on its way the buttons wait, so the answer shown is the one sent.
    parts.yes.addEventListener("click", function () {
      if (state.busy) return;
      choose(parts, true);
      showContact(parts, false);
      vote(widget, parts, state, withRev({ type: "vote", article: article, helpful: true }, rev));
    });
    parts.no.addEventListener("click", function () {
      if (state.busy) return;
      choose(parts, false);
      if (!config.endpoint) {
        // Asking for reasons that cannot be recorded would waste the customer's time.
        parts.no.setAttribute("aria-pressed", "false");
        say(parts.status, MESSAGES.noService);
        showContact(parts, true);
        return;
      }
      // Count the "No" even if the customer leaves without sending reasons (it goes out
      // with the next batch); a sent reason or comment follows as a later vote of the same
      // session, and the metrics keep each session's last vote.
      if (!state.noQueued) {
        state.noQueued = track(withRev({ type: "vote", article: article, helpful: false }, rev));
      }
      parts.form.hidden = false;
      say(parts.status, "");
      var first = parts.form.querySelector('input[type="radio"]');
      (parts.form.querySelector("input:checked") || first || parts.comment).focus();
    });
    if (parts.comment && parts.count) {
      var updateCount = function () {
        parts.count.textContent = parts.comment.value.length + " / " + MAX_COMMENT + " characters";
      };
      parts.comment.addEventListener("input", updateCount);
      updateCount();
    }
    parts.form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      var event = withRev({ type: "vote", article: article, helpful: false }, rev);
      var checked = parts.form.querySelector('input[name="reason"]:checked');
      if (checked) event.reason = checked.value;
      var comment = parts.comment ? parts.comment.value.replace(/\u0000/g, "").trim() : "";
      if (comment.length > MAX_COMMENT) {
        say(parts.status, MESSAGES.tooLong);
        return;
      }
      if (comment) event.comment = comment;
      vote(widget, parts, state, event);
    });
  }

  function choose(parts, helpful) {
    parts.yes.setAttribute("aria-pressed", String(helpful));
    parts.no.setAttribute("aria-pressed", String(!helpful));
    if (helpful) parts.form.hidden = true;
  }

  function showContact(parts, visible) {
    if (parts.contact) parts.contact.hidden = !visible;
  }

  // Send a vote and tell the customer what really happened.
  function vote(widget, parts, state, event) {
    if (state.busy) return;
    if (!config.endpoint) {
      say(parts.status, MESSAGES.noService);
      if (event.helpful) parts.yes.setAttribute("aria-pressed", "false");
      return;
    }
    // Retrying the same answer reuses its id: if the first try did reach the API, the
    // server stores it once.
    var same = state.pending &&
      JSON.stringify(withoutId(state.pending)) === JSON.stringify(withoutId(event));
    var full = stamp(same ? Object.assign({}, event, { id: state.pending.id }) : event);
    if (!full) return;
    // A vote sent now supersedes the queued "No": if it is still waiting, it must not reach
    // the API after this one (the server orders votes by arrival).
    if (state.noQueued) unqueue(state.noQueued);
    state.pending = full;
    state.busy = true;
    widget.setAttribute("aria-busy", "true");
    say(parts.status, MESSAGES.sending);
    sendNow(full).then(function (outcome) {
      state.busy = false;
      widget.removeAttribute("aria-busy");
      if (outcome !== "stored") {
        say(parts.status, outcome === "declined" ? MESSAGES.declined : MESSAGES.failed);
        if (event.helpful) parts.yes.setAttribute("aria-pressed", "false");
        return;
      }
      state.pending = null;
      var wasInForm = parts.form.contains(document.activeElement);
      parts.form.hidden = true;
      showContact(parts, !event.helpful);
      say(parts.status, event.helpful ? MESSAGES.thanks : MESSAGES.thanksNo);
      // The form (and the focused button in it) just disappeared: keep focus in the widget.
      if (wasInForm || !event.helpful) parts.status.focus();
      if (config.nps && (event.helpful || config.nps.after === "vote")) {
        askNps(widget, parts.status);
      }
    });
  }

  function withoutId(event) {
    var copy = {};
    Object.keys(event).forEach(function (key) {
      if (key !== "id" && key !== "session" && key !== "lang") copy[key] = event[key];
    });
    return copy;
  }

  /* ---------------------------------------------------------------- NPS question */

  // Asked at most once per session (renewed sessions may be asked again), in a sample of
  // sessions (nps.sample), never under DNT/GPC or without a help API. The choice is made
  // once per session: a session left out of the sample stays out.
  function npsChance() {
    if (!config.nps || trackingOff()) return false;
    var session = sessionId();
    var stored = null;
    try {
      stored = JSON.parse(load(NPS_KEY) || "null");
    } catch (error) {
      stored = null;
    }
    if (stored && stored.session === session) return false; // skipped or asked already
    var chosen = Math.random() < Number(config.nps.sample);
    save(NPS_KEY, JSON.stringify({ session: session, state: chosen ? "asked" : "skipped" }));
    return chosen;
  }

  function askNps(widget, returnFocus) {
    if (!npsChance() || document.querySelector("[data-kb-nps]")) return;
    var panel = npsPanel(String(config.nps.question || ""));
    widget.parentNode.insertBefore(panel.root, widget.nextSibling);
    var pending = null;
    function close() {
      panel.root.remove();
      if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
    }
    panel.dismiss.addEventListener("click", close);
    panel.root.addEventListener("keydown", function (keyEvent) {
      if (keyEvent.key === "Escape" && !panel.form.hidden) close();
    });
    panel.form.addEventListener("submit", function (submitEvent) {
      submitEvent.preventDefault();
      if (panel.form.getAttribute("aria-busy") === "true") return;
      var checked = panel.form.querySelector('input[name="score"]:checked');
      if (!checked) {
        say(panel.status, MESSAGES.npsChoose);
        panel.form.querySelector('input[name="score"]').focus();
        return;
      }
      var event = { type: "nps", score: Number(checked.value) };
      var comment = panel.comment.value.replace(/\u0000/g, "").trim();
      if (comment.length > MAX_COMMENT) {
        say(panel.status, MESSAGES.tooLong);
        return;
      }
      if (comment) event.comment = comment;
      // A retry of the same answer keeps its id, so the API stores it once.
      var same = pending && JSON.stringify(withoutId(pending)) === JSON.stringify(event);
      var full = stamp(same ? Object.assign({}, event, { id: pending.id }) : event);
      if (!full) return;
      pending = full;
      panel.form.setAttribute("aria-busy", "true");
      say(panel.status, MESSAGES.sending);
      sendNow(full).then(function (outcome) {
        panel.form.removeAttribute("aria-busy");
        if (outcome !== "stored") {
          say(panel.status, outcome === "declined" ? MESSAGES.declined : MESSAGES.npsFailed);
          return;
        }
        // The form disappears with the focused button: focus moves to the thanks, read out.
        panel.form.hidden = true;
        panel.done.textContent = MESSAGES.npsThanks;
        panel.done.focus();
      });
    });
  }

  // The question as a form: a fieldset of eleven radio buttons (arrow keys move between
  // them), an optional reason, Send and No thanks. Built with textContent only.
  function npsPanel(question) {
    var root = make("section", "kb-nps", { "data-kb-nps": "", "aria-labelledby": "kb-nps-q" });
    var form = make("form", "kb-nps__form", { novalidate: "" });
    var fieldset = make("fieldset", "kb-nps__fieldset");
    var legend = make("legend", "kb-nps__question", { id: "kb-nps-q" });
    legend.textContent = question;
    fieldset.appendChild(legend);
    var scale = make("div", "kb-nps__scale");
    for (var score = 0; score <= 10; score++) {
      var label = make("label", "kb-nps__option");
      var input = make("input", "", { type: "radio", name: "score", value: String(score) });
      var number = make("span", "kb-nps__number");
      number.textContent = String(score);
      label.appendChild(input);
      label.appendChild(number);
      var hint = score === 0 ? "Not at all likely" : score === 10 ? "Extremely likely" : "";
      if (hint) {
        var words = make("span", "kb-nps__sr");
        words.textContent = " " + hint;
        label.appendChild(words);
      }
      scale.appendChild(label);
    }
    fieldset.appendChild(scale);
    var ends = make("p", "kb-nps__ends", { "aria-hidden": "true" });
    ends.appendChild(document.createTextNode("0 = Not at all likely"));
    ends.appendChild(make("span"));
    ends.lastChild.textContent = "10 = Extremely likely";
    fieldset.appendChild(ends);
    form.appendChild(fieldset);
    var commentLabel = make("label", "kb-nps__label", { for: "kb-nps-comment" });
    commentLabel.textContent = "What is the main reason for your score? (optional)";
    var comment = make("textarea", "", { id: "kb-nps-comment", name: "comment", rows: "2",
      maxlength: String(MAX_COMMENT) });
    form.appendChild(commentLabel);
    form.appendChild(comment);
    var actions = make("div", "kb-nps__actions");
    var send = make("button", "md-button md-button--primary", { type: "submit" });
    send.textContent = "Send";
    var dismiss = make("button", "md-button", { type: "button" });
    dismiss.textContent = "No thanks";
    actions.appendChild(send);
    actions.appendChild(dismiss);
    form.appendChild(actions);
    var status = make("p", "kb-nps__status", { role: "status", "aria-live": "polite" });
    form.appendChild(status);
    var done = make("p", "kb-nps__done", { role: "status", "aria-live": "polite",
      tabindex: "-1" });
    root.appendChild(form);
    root.appendChild(done);
    return { root: root, form: form, comment: comment, dismiss: dismiss, status: status,
      done: done };
  }

  function make(tag, className, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  /* ---------------------------------------------------------------- FAQ pages */

  // Open the question the address points at (e.g. a shared link to one FAQ answer).
  function openFaqFromHash() {
    if (!location.hash || location.hash.length < 2) return;
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return;
    }
    var target = document.getElementById(id);
    var details = target && target.closest("details.kb-faq");
    if (!details) return;
    if (!details.open) details.open = true;
    target.scrollIntoView();
  }

  window.addEventListener("hashchange", openFaqFromHash);

  /* ---------------------------------------------------------------- contact page */

  function initContact(root) {
    var page = root.querySelector("[data-kb-contact-page]");
    if (!page || page.hasAttribute("data-kb-ready")) return;
    page.setAttribute("data-kb-ready", "");
    var parts = {
      form: page.querySelector("[data-kb-contact-form]"),
      subject: page.querySelector("#kb-subject"),
      status: page.querySelector("#kb-suggestions-status"),
      list: page.querySelector("#kb-suggestions"),
      handoff: page.querySelector("[data-kb-handoff]")
    };
    if (parts.list) parts.list.hidden = true;
    var from = trackingOff() ? null : load(ARTICLE_KEY);
    track({ type: "contact", stage: "open", article: from || undefined });

    var search = { seq: 0, query: "", shown: 0, recorded: "" };
    var recordSearch = debounce(function () {
      if (!search.query || search.query === search.recorded) return;
      search.recorded = search.query;
      track({ type: "search", query: search.query, results: search.shown, source: "contact" });
    }, SEARCH_EVENT_DELAY_MS);
    var suggest = debounce(function () {
      showSuggestions(parts, search, recordSearch);
    }, SUGGEST_DELAY_MS);

    if (parts.subject) parts.subject.addEventListener("input", suggest);
    if (parts.form) {
      // Enter in the subject field shows suggestions now; leaving for the helpdesk is the
      // link's job, so suggestions always come first.
      parts.form.addEventListener("submit", function (submitEvent) {
        submitEvent.preventDefault();
        suggest.now();
      });
    }
    if (parts.list) {
      parts.list.addEventListener("click", function (clickEvent) {
        var link = clickEvent.target.closest("a[data-kb-suggestion]");
        if (!link) return;
        recordSearch.now();
        track({
          type: "search_click", query: search.query,
          article: link.getAttribute("data-kb-suggestion"),
          rank: Number(link.getAttribute("data-kb-rank"))
        });
      });
    }
    if (parts.handoff) {
      var refresh = function () {
        parts.handoff.href = handoffUrl(parts.subject ? parts.subject.value.trim() : "", from);
      };
      refresh();
      if (parts.subject) parts.subject.addEventListener("input", refresh);
      parts.handoff.addEventListener("click", function (clickEvent) {
        // Suggestions first (SPEC: the contact page suggests articles before the hand-off):
        // with no subject there is nothing to suggest from yet.
        if (parts.subject && !parts.subject.value.trim()) {
          clickEvent.preventDefault();
          say(parts.status, MESSAGES.subjectFirst);
          parts.subject.focus();
          return;
        }
        refresh(); // the session may have been renewed while the page was open
        recordSearch.now();
        var subject = parts.subject ? parts.subject.value.trim() : "";
        var widget = openWidget(subject, from);
        if (widget) clickEvent.preventDefault();
        track({
          type: "contact", stage: "submit", article: from || undefined,
          channel: widget || (/^mailto:/i.test(parts.handoff.href) ? "email" : "web")
        });
        flush(); // a beacon, so it is sent even though the page is being left
      });
    }
  }

  function showSuggestions(parts, search, recordSearch) {
    var query = parts.subject ? parts.subject.value.trim() : "";
    var seq = ++search.seq;
    search.query = query;
    var engine = window.KbgenSearch;
    if (!query || !engine || typeof engine.search !== "function") {
      render(parts, [], "");
      search.shown = 0;
      return;
    }
    Promise.resolve().then(function () {
      return engine.search(query, 5);
    }).then(function (results) {
      if (seq !== search.seq) return; // the customer has typed more since
      var list = Array.isArray(results) ? results.slice(0, 5) : [];
      search.shown = list.length;
      render(parts, list, list.length
        ? (list.length === 1 ? "1 article" : list.length + " articles") +
          " may answer this. If not, continue to contact support below."
        : "No matching articles. Continue to contact support below.");
      recordSearch();
    }, function () {
      if (seq === search.seq) render(parts, [], "");
    });
  }

  // Build the list with createElement/textContent only: titles and snippets are data.
  function render(parts, results, message) {
    if (parts.list) {
      parts.list.textContent = "";
      parts.list.hidden = !results.length; // no empty "list, 0 items" for screen readers
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = new URL(String(result.url || ""), config.base).href;
        link.textContent = String(result.title || result.url || "");
        link.setAttribute("data-kb-suggestion", String(result.id || ""));
        link.setAttribute("data-kb-rank", String(index + 1));
        item.appendChild(link);
        if (result.snippet) {
          var snippet = document.createElement("p");
          snippet.textContent = String(result.snippet);
          item.appendChild(snippet);
        }
        parts.list.appendChild(item);
      });
    }
    if (parts.status && parts.status.textContent !== message) say(parts.status, message);
  }

  // What joins a ticket to its help session: the session id and the article last read, or
  // nothing under Do Not Track / Global Privacy Control or without a help API.
  function joinValues(subject, article) {
    var on = !trackingOff();
    return {
      helpdesk: config.handoff.helpdesk,
      subject: subject,
      session: on ? sessionId() : null,
      article: on && article ? article : null
    };
  }

  // The hand-off link's address: the helpdesk's own prefill fields where it has them.
  function handoffUrl(subject, article) {
    var handoff = config.handoff;
    var target = handoff.url;
    if (!target) return "#";
    var join = joinValues(subject, article);
    if (handoff.helpdesk === "email" || /^mailto:/i.test(target)) {
      return mailtoUrl(target, subject, join.session ? reference(join.session) : "");
    }
    var url;
    try {
      url = new URL(target, location.href);
    } catch (error) {
      return target;
    }
    if (!/^https?:$/.test(url.protocol)) return target;
    if (handoff.helpdesk === "zendesk") {
      // Zendesk's request form reads tf_<field id> (and ticket_form_id) from its address.
      if (handoff.ticket_form_id) url.searchParams.set("ticket_form_id", handoff.ticket_form_id);
      if (subject) url.searchParams.set("tf_subject", subject);
      if (join.session) url.searchParams.set("tf_" + handoff.session_field, join.session);
      if (join.article && handoff.article_field) {
        url.searchParams.set("tf_" + handoff.article_field, join.article);
      }
    } else if (handoff.helpdesk === "web") {
      if (join.session) url.searchParams.set("kb_session", join.session);
      if (join.session && join.article) url.searchParams.set("kb_article", join.article);
    }
    // freshdesk, helpscout: their widget gets the values on click (openWidget).
    return url.href;
  }

  // "Ref: 4f2a9c1e": the session id's first 8 hex digits, short enough to read in an email;
  // `kbgen tickets import` finds the session it starts when only one does.
  function reference(session) {
    return "Ref: " + session.replace(/^s-/, "").slice(0, 8);
  }

  // Freshdesk's and Help Scout's widgets take the values in JavaScript. kbgen does not load
  // their scripts: a site that adds one (extra_javascript) gets it filled and opened here.
  // Every hand-off is also announced as a "kbgen:handoff" event for any other widget.
  // Returns the channel used when a widget took over, or "" when the link should be followed.
  function openWidget(subject, article) {
    var handoff = config.handoff;
    var join = joinValues(subject, article);
    document.dispatchEvent(new CustomEvent("kbgen:handoff", { detail: join }));
    if (handoff.helpdesk === "freshdesk" && typeof window.FreshworksWidget === "function") {
      var fields = {};
      if (join.session) fields[handoff.session_field] = join.session;
      if (join.article) fields[handoff.article_field] = join.article;
      window.FreshworksWidget("prefill", "ticketForm", { subject: subject, custom_fields: fields });
      window.FreshworksWidget("hide", "ticketForm", [
        "custom_fields." + handoff.session_field, "custom_fields." + handoff.article_field]);
      window.FreshworksWidget("open", "ticketForm");
      return "widget";
    }
    if (handoff.helpdesk === "helpscout" && typeof window.Beacon === "function") {
      var data = {};
      if (join.session) data.kb_session = join.session;
      if (join.article) data.kb_article = join.article;
      window.Beacon("session-data", data);
      window.Beacon("prefill", { subject: subject });
      window.Beacon("open");
      window.Beacon("navigate", "/ask/message/");
      return "widget";
    }
    return "";
  }

  // mailto: wants %20, not "+", so URLSearchParams is not used here (RFC 6068).
  function mailtoUrl(target, subject, ref) {
    var cut = target.indexOf("?");
    var address = cut < 0 ? target : target.slice(0, cut);
    var fields = [];
    var body = "";
    (cut < 0 ? "" : target.slice(cut + 1)).split("&").forEach(function (field) {
      if (!field) return;
      var name = field.split("=")[0].toLowerCase();
      if (name === "body") body = safeDecode(field.slice(5));
      else if (!(name === "subject" && subject)) fields.push(field);
    });
    if (subject) fields.push("subject=" + encodeURIComponent(subject));
    if (ref) body += "\n\n" + ref; // blank lines above it for the customer's message
    if (body) fields.push("body=" + encodeURIComponent(body));
    return address + (fields.length ? "?" + fields.join("&") : "");
  }

  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;
    }
  }

  /* ---------------------------------------------------------------- start */

  function init() {
    initArticle(document);
    initContact(document);
    openFaqFromHash();
  }

  window.kbgen = {
    track: track,
    flush: flush,
    // The values the contact page hands to the helpdesk (see openWidget), for a site's own
    // widget code: {helpdesk, subject, session, article}; session and article are null
    // under DNT/GPC.
    handoff: function (subject) {
      return joinValues(String(subject || ""), trackingOff() ? null : load(ARTICLE_KEY));
    },
    // Whether events are being sent; search.js may use it to skip work.
    enabled: function () {
      return !trackingOff();
    }
  };

  // material's document$ emits on first load and after every instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
