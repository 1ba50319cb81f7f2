// The drawing page of `mlp serve`: draw on the canvas (mouse, pen, finger) or drop / pick an image file,
// and see the chosen model's top classes, updated while drawing. Talks only to the server it came from.
'use strict';

(() => {
  const TOP = 3;
  const SEND_INTERVAL_MS = 120; // at most one prediction per interval while drawing
  const STROKE = 18;            // px on the 280 px canvas: about MNIST's stroke width once scaled to 20 px

  const $ = id => document.getElementById(id);
  const pad = $('pad'), zone = $('drop-zone'), select = $('model'), modelInfo = $('model-info');
  const result = $('result'), labelOut = $('label'), bars = $('bars'), status = $('status');
  const ctx = pad.getContext('2d');

  let models = [];
  let input = null;       // what is being predicted: { kind: 'drawing' } or { kind: 'file', file }
  let inked = false;      // the canvas holds strokes
  let epoch = 0;          // bumped by Clear and model changes: answers to older requests are dropped
  let inFlight = false, pending = false, lastSent = 0, timer = 0;
  let stroke = null;      // the pointer drawing now: { id, x, y }
  let shown = 0;          // predictions shown so far (data-shown, for tests and curious people)

  // ---- canvas -------------------------------------------------------------------------------------

  function resetPad() {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, pad.width, pad.height);
    inked = false;
  }

  function at(e) {
    const r = pad.getBoundingClientRect();
    return { x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height };
  }

  function width(e) {
    // A pen's pressure thins or thickens the stroke; mice and fingers report 0.5 or nothing.
    return e.pointerType === 'pen' && e.pressure > 0 ? STROKE * (0.5 + e.pressure) : STROKE;
  }

  function segment(from, to, e) {
    ctx.strokeStyle = '#000';
    ctx.lineWidth = width(e);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    inked = true;
  }

  pad.addEventListener('pointerdown', e => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault();
    pad.setPointerCapture(e.pointerId);
    const p = at(e);
    stroke = { id: e.pointerId, ...p };
    segment(p, p, e);
    input = { kind: 'drawing' }; // drawing over a dropped image predicts the canvas from now on
    // A lone dot is no character: predictions start when the pen moves (or lifts).
  });

  pad.addEventListener('pointermove', e => {
    if (!stroke || e.pointerId !== stroke.id) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) {
      const p = at(ev);
      segment(stroke, p, ev);
      stroke.x = p.x;
      stroke.y = p.y;
    }
    schedule();
  });

  const endStroke = e => {
    if (!stroke || e.pointerId !== stroke.id) return;
    stroke = null;
    schedule(true);
  };
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);

  function clear() {
    epoch++;
    clearTimeout(timer);
    pending = false;
    input = null;
    resetPad();
    labelOut.textContent = '–';
    bars.replaceChildren();
    status.textContent = models.length ? 'Draw something, or drop an image.' : status.textContent;
    setState('idle');
  }
  $('clear').addEventListener('click', clear);
  document.addEventListener('keydown', e => { if (e.key === 'Escape') clear(); });

  // ---- files: drop anywhere on the page, or pick one -------------------------------------------

  async function useFile(file) {
    if (!file) return;
    epoch++;
    resetPad();
    try {
      // Preview it on the canvas, fitted; the original file is what is sent.
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
      const w = bitmap.width * scale, h = bitmap.height * scale;
      ctx.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
      bitmap.close();
    } catch {
      // Not an image the browser can show: the server says what is wrong with it.
    }
    input = { kind: 'file', file };
    schedule(true);
  }

  let dragDepth = 0;
  document.addEventListener('dragenter', e => { e.preventDefault(); if (dragDepth++ === 0) zone.classList.add('dragging'); });
  document.addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; zone.classList.remove('dragging'); } });
  document.addEventListener('dragover', e => e.preventDefault());
  document.addEventListener('drop', e => {
    e.preventDefault();
    dragDepth = 0;
    zone.classList.remove('dragging');
    useFile(e.dataTransfer && e.dataTransfer.files[0]);
  });
  $('file').addEventListener('change', e => {
    useFile(e.target.files[0]);
    e.target.value = '';
  });

  // ---- predictions: one request at a time, the latest input wins -------------------------------

  function setState(state) { result.dataset.state = state; }

  function schedule(now = false) {
    if (!input || !select.value || (input.kind === 'drawing' && !inked)) return;
    pending = true;
    setState('busy');
    if (inFlight) return; // sent when the answer in flight arrives
    clearTimeout(timer);
    timer = setTimeout(send, now ? 0 : Math.max(0, lastSent + SEND_INTERVAL_MS - performance.now()));
  }

  async function body() {
    if (input.kind === 'file') {
      const form = new FormData();
      form.append('image', input.file, input.file.name);
      return form;
    }
    return new Promise(resolve => pad.toBlob(resolve, 'image/png'));
  }

  async function send() {
    if (!pending || inFlight || !input) return;
    pending = false;
    inFlight = true;
    lastSent = performance.now();
    const mine = epoch, model = select.value;
    let outcome = 'done';
    try {
      const payload = await body();
      const response = await fetch(`api/models/${encodeURIComponent(model)}/predict?top=${TOP}`, { method: 'POST', body: payload });
      const json = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
      if (mine === epoch) {
        if (response.ok) show(json);
        else { showError(json.error || `HTTP ${response.status}`); outcome = 'error'; }
      }
    } catch (err) {
      if (mine === epoch) { showError(`cannot reach the server (${err.message})`); outcome = 'error'; }
    } finally {
      inFlight = false;
      if (pending) schedule();
      else if (mine === epoch) setState(outcome);
    }
  }

  function show(p) {
    result.dataset.shown = String(++shown);
    labelOut.textContent = p.label;
    bars.replaceChildren(...p.top.map(s => {
      const li = document.createElement('li');
      const name = document.createElement('span'), track = document.createElement('span'), fill = document.createElement('span'), pct = document.createElement('span');
      name.className = 'name'; track.className = 'track'; fill.className = 'fill'; pct.className = 'p';
      name.textContent = s.label;
      name.title = s.label;
      fill.style.width = `${(s.probability * 100).toFixed(1)}%`;
      pct.textContent = `${(s.probability * 100).toFixed(1)} %`;
      track.append(fill);
      li.append(name, track, pct);
      return li;
    }));
    status.textContent = `${p.model} (version ${p.version}) · ${p.milliseconds.toFixed(1)} ms on the server`;
  }

  function showError(message) {
    labelOut.textContent = '?';
    bars.replaceChildren();
    status.textContent = message;
  }

  // ---- models ---------------------------------------------------------------------------------

  function describe(m) {
    const listed = m.classes.slice(0, 12).join(' ') + (m.classes.length > 12 ? ' …' : '');
    return `${m.kind} · ${m.classes.length} classes (${listed}) · ${m.width}×${m.height}`;
  }

  select.addEventListener('change', () => {
    epoch++;
    const m = models.find(x => x.name === select.value);
    modelInfo.textContent = m ? describe(m) : '';
    if (input) schedule(true);
  });

  async function loadModels() {
    try {
      const response = await fetch('api/models');
      models = await response.json();
    } catch (err) {
      status.textContent = `cannot reach the server (${err.message})`;
      setState('error');
      return;
    }
    select.replaceChildren(...models.map(m => {
      const o = document.createElement('option');
      o.value = m.name;
      o.textContent = `${m.name} (${m.kind})`;
      return o;
    }));
    const preferred = models.find(m => m.name === 'digits') || models.find(m => m.kind === 'digits') || models[0];
    if (preferred) {
      select.value = preferred.name;
      modelInfo.textContent = describe(preferred);
      status.textContent = 'Draw something, or drop an image.';
    } else {
      status.textContent = "No models in the server's folder: add a model .zip there.";
    }
    document.body.dataset.ready = 'true';
  }

  resetPad();
  loadModels();
})();
