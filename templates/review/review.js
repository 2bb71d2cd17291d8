// The review pages' one script, served by the app at /static/review.js: the content security policy lets
// pages run no other script, and no inline one. It adds keyboard shortcuts, selection of items, products
// and channels, a live character counter in the edit boxes, banners at full size, and sends actions without
// reloading the batch: the server answers with the changed lines as HTML (adcraft/review/action_routes.py).
// Every page works without it.
"use strict";
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
  const status = $("#status");
  const dialog = $("#dialog");
  let current = null;

  function say(message, error = false) {
    if (!status) return;
    status.textContent = message;
    status.classList.toggle("error", error);
  }

  // Selection: an item's box, a product's, a channel's, or every item shown.
  const picks = () => $$("input.pick");
  function updateCount() {
    const out = $("#selected-count");
    if (out) out.textContent = `${picks().filter((p) => p.checked).length} selected`;
  }
  document.addEventListener("change", (event) => {
    const box = event.target;
    const lineOf = (p) => p.closest(".line");
    let group = null;
    if (box.matches(".pick-product")) group = picks().filter((p) => lineOf(p).dataset.sku === box.dataset.sku);
    else if (box.matches(".pick-channel")) {
      group = picks().filter((p) => lineOf(p).dataset.sku === box.dataset.sku
        && lineOf(p).dataset.channel === box.dataset.channel);
    } else if (box.matches(".pick-page")) group = picks();
    if (group) group.forEach((p) => { p.checked = box.checked; });
    if (box.matches(".pick, .pick-product, .pick-channel, .pick-page")) updateCount();
  });

  // The edit box's counter against the field's limit (SMS: also how many messages it takes). Counts as the
  // server does: characters (code points) of the text without surrounding space.
  const GSM7 = new Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà");
  const GSM7_EXTENDED = new Set("^{}\\[~]|€\f");  // two septets each (adcraft/kernel/channels.py)
  function smsParts(text) {
    let septets = 0;
    for (const char of text) {
      if (GSM7.has(char)) septets += 1;
      else if (GSM7_EXTENDED.has(char)) septets += 2;
      else return [text.length <= 70 ? 1 : Math.ceil(text.length / 67), "Unicode"];
    }
    return [septets <= 160 ? 1 : Math.ceil(septets / 153), "GSM-7"];
  }
  function count(area) {
    const out = area.form && $("output.counter", area.form);
    if (!out) return;
    const text = area.value.replace(/\r\n/g, "\n").trim();
    const length = [...text].length;
    const limit = Number(area.dataset.limit) || 0;
    let words = limit ? `${length} / ${limit} characters` : `${length} characters`;
    if (limit && length > limit) words += `, ${length - limit} over`;
    if ("sms" in area.dataset) {
      const [parts, encoding] = smsParts(text);
      words += ` · ${parts} SMS (${encoding})`;
    }
    out.textContent = words;
    out.classList.toggle("over", limit > 0 && length > limit);
  }
  document.addEventListener("input", (event) => {
    if (event.target.matches("textarea[data-limit]")) count(event.target);
  });
  $$("textarea[data-limit]").forEach(count);

  // Actions without a reload: the answer holds the changed lines and card heads, and the batch's counts.
  function focusLine(line, scroll = true) {
    if (current) current.classList.remove("current");
    current = line;
    if (!line) return;
    line.classList.add("current");
    line.focus({ preventScroll: true });
    if (scroll) line.scrollIntoView({ block: "center" });
  }
  function apply(answer) {
    const currentId = current && current.id;
    for (const [id, html] of Object.entries(answer.rows || {})) {
      const old = document.getElementById(`item-${id}`);
      if (old) old.outerHTML = html;
    }
    for (const [sku, html] of Object.entries(answer.heads || {})) {
      const old = document.getElementById(`head-${sku}`);
      if (old) old.outerHTML = html;
    }
    for (const [name, value] of Object.entries(answer.counts || {})) {
      const out = $(`[data-count="${name}"]`);
      if (out) out.textContent = value;
    }
    $$(".pick-product, .pick-channel, .pick-page").forEach((box) => { box.checked = false; });
    $$("textarea[data-limit]").forEach(count);
    if (currentId && document.getElementById(currentId)) focusLine(document.getElementById(currentId), false);
    updateCount();
    if (dialog && dialog.open) dialog.close();
    say(answer.message);
  }
  function openDialog(content) {
    if (typeof content === "string") dialog.innerHTML = content;
    else dialog.replaceChildren(content);
    if (!dialog.open) dialog.showModal();
    const first = $("button, a", dialog);
    if (first) first.focus();
  }
  async function send(form, submitter) {
    const action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
    const body = new FormData(form, submitter);
    // The products whose cards this page shows: the answer brings back only their lines.
    body.set("on_page", $$(".product-head").map((head) => head.dataset.sku).join(" "));
    const buttons = $$("button:not([disabled])", form);
    buttons.forEach((button) => { button.disabled = true; });
    say("Working…");
    let answer;
    try {
      const response = await fetch(action, {
        method: "POST", body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" },
      });
      answer = await response.json();
    } catch (error) {
      answer = { ok: false, message: "The app did not answer. Reload the page and try again." };
    }
    buttons.forEach((button) => { button.disabled = false; });
    if (!answer.ok) {
      if (answer.login) {
        window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
        return;
      }
      say(answer.message, true);
      return;
    }
    if (answer.dialog !== undefined) {
      openDialog(answer.dialog);
      say("Nothing has changed yet: confirm or cancel.");
      return;
    }
    if (form.id === "selection") form.reset();
    apply(answer);
  }
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-async]")) return;
    event.preventDefault();
    send(form, event.submitter);
  });
  document.addEventListener("click", (event) => {
    const close = event.target.closest("[data-close]");
    if (close && dialog && dialog.contains(close)) {
      event.preventDefault();
      dialog.close();
      return;
    }
    const thumb = event.target.closest("a.thumb, .ad.meta img");
    if (thumb && dialog) {  // a banner at full size
      event.preventDefault();
      const figure = document.createElement("figure");
      figure.className = "full";
      const picture = document.createElement("img");
      picture.src = thumb.getAttribute("href") || thumb.getAttribute("src");
      picture.alt = "the banner at full size";
      const close = document.createElement("button");
      close.type = "button";
      close.dataset.close = "";
      close.textContent = "Close";
      figure.append(picture, close);
      openDialog(figure);
    }
  });

  // Keyboard: j/k next and previous item, a approve, r reject (type the reason, Enter), e edit, x select,
  // / search. Escape leaves a text box; Ctrl+Enter saves an edit.
  function move(step) {
    const all = $$(".line");
    if (!all.length) return;
    const at = all.indexOf(current);
    focusLine(all[Math.min(all.length - 1, Math.max(0, at === -1 ? 0 : at + step))]);
  }
  function act(key) {
    if (!current) {
      say("Press j to pick the first item.");
      return;
    }
    if (key === "a") {
      const form = $("form.approve", current);
      const button = form && $("button", form);
      if (button && !button.disabled) form.requestSubmit();
      else say("This item cannot be approved: it fails a hard check. Edit it or reject it.", true);
    } else if (key === "r") {
      const reason = $("form.reject input[name=reason]", current);
      if (reason) reason.focus();
    } else if (key === "e") {
      const edit = $("details.edit", current);
      if (!edit) {
        say("Only copy lines can be edited.", true);
        return;
      }
      edit.open = true;
      const area = $("textarea", edit);
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
    } else if (key === "x") {
      const box = $("input.pick", current);
      if (box) box.checked = !box.checked;
      updateCount();
    }
  }
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.matches("textarea")) {
        event.preventDefault();
        target.form.requestSubmit();
      } else if (event.key === "Escape") {
        target.blur();
        if (current) current.focus({ preventScroll: true });
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || (dialog && dialog.open)) return;
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (["a", "r", "e", "x"].includes(event.key)) act(event.key);
    else if (event.key === "/") {
      const search = $("#search");
      if (search) search.focus();
    } else return;
    event.preventDefault();
  });
  document.addEventListener("focusin", (event) => {
    const line = event.target.closest && event.target.closest(".line");
    if (line && line !== current) {
      if (current) current.classList.remove("current");
      current = line;
      line.classList.add("current");
    }
  });
})();
