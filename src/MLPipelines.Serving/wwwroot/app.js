// The drawing page of `mlp serve`: draw on the canvas (mouse, pen, finger) or drop / pick an image file,
// and see the chosen model's top classes, updated while drawing. A model that carries a portable ONNX runs
// here, in the browser (ONNX Runtime Web, served by the same server under ort/): no request per prediction.
// Otherwise, or where WebAssembly is missing, the server predicts (POST /api/models/{name}/predict).
// Talks only to the server it came from.
'use strict';

(() => {
  const TOP = 3;
  const SEND_INTERVAL_MS = 120;   // at most one server prediction per interval while drawing
  const BROWSER_INTERVAL_MS = 30; // in the browser a prediction costs a few ms: follow the pen closely
  const STROKE = 16.5;            // px on the 256 px canvas: about MNIST's stroke width once scaled to 20 px

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
  const sessions = new Map(); // model name@version -> { loading: Promise, local: its in-browser session or null }

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
    let bitmap = null;
    try {
      // Preview it on the canvas, fitted. The server is sent the original file; the browser's model is given
      // the decoded picture, fitted into its canvas as ML.NET's ResizeImages would (transparency kept).
      bitmap = await createImageBitmap(file);
      const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
      const w = bitmap.width * scale, h = bitmap.height * scale;
      ctx.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
    } catch {
      // Not an image the browser can show: the server says what is wrong with it.
    }
    if (input && input.bitmap) input.bitmap.close();
    input = { kind: 'file', file, bitmap };
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

  // ---- in-browser models: ONNX Runtime Web, loaded once a model that has a portable ONNX is chosen -------

  let runtime = null; // Promise of the ort namespace, or of null where it cannot run
  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise(resolve => {
        if (typeof WebAssembly !== 'object') return resolve(null);
        const script = document.createElement('script');
        script.src = 'ort/ort.wasm.min.js';
        script.onload = () => {
          const ort = window.ort;
          if (!ort) return resolve(null);
          ort.env.wasm.wasmPaths = new URL('ort/', document.baseURI).href;
          ort.env.wasm.numThreads = 1; // one image at a time: threads would need cross-origin isolation and gain little
          ort.env.wasm.proxy = false;
          resolve(ort);
        };
        script.onerror = () => resolve(null); // the server was built without it: predict there
        document.head.append(script);
      });
    }
    return runtime;
  }

  /** The model's in-browser session ({ ort, session, size }), or null: it has none or it cannot run here. */
  function browserSession(m) {
    if (!m || !m.onnx || !(m.canvas > 0)) return Promise.resolve(null);
    return loading(m).loading;
  }

  function loading(m) {
    const key = `${m.name}@${m.version}`;
    if (!sessions.has(key)) {
      const entry = { local: null };
      entry.loading = (async () => {
        const ort = await loadRuntime();
        if (!ort) return null;
        try {
          const session = await ort.InferenceSession.create(m.onnx, { executionProviders: ['wasm'] });
          return (entry.local = { ort, session, size: m.canvas });
        } catch (err) {
          console.warn(`${m.name}: cannot run in this browser (${err.message}); the server predicts`);
          return null;
        }
      })();
      sessions.set(key, entry);
    }
    return sessions.get(key);
  }

  /** The session when it is ready now; while it loads (or where there is none) the server predicts. */
  function readySession(m) {
    return m && m.onnx && m.canvas > 0 ? loading(m).local : null;
  }

  const fitted = document.createElement('canvas');
  /** RGBA bytes of the input fitted into a size x size canvas: aspect kept, centred, transparent around it. */
  function canvasBytes(size) {
    const source = input.kind === 'file' ? input.bitmap : pad;
    fitted.width = fitted.height = size;
    const c = fitted.getContext('2d', { willReadFrequently: true });
    c.clearRect(0, 0, size, size);
    const scale = Math.min(size / source.width, size / source.height);
    const w = Math.max(1, Math.round(source.width * scale)), h = Math.max(1, Math.round(source.height * scale));
    c.imageSmoothingEnabled = true;
    c.imageSmoothingQuality = 'high';
    c.drawImage(source, Math.floor((size - w) / 2), Math.floor((size - h) / 2), w, h);
    return new Uint8Array(c.getImageData(0, 0, size, size).data.buffer);
  }

  async function predictInBrowser(m, local) {
    const clock = performance.now();
    const { ort, session, size } = local;
    const output = await session.run({ Canvas: new ort.Tensor('uint8', canvasBytes(size), [1, size, size, 4]) });
    if (!output.InkFound.data[0]) throw new Error('no ink found: the picture is blank or has too little contrast');
    const probabilities = Array.from(output.Probabilities.data, (p, i) => ({ label: m.classes[i], probability: p }));
    const index = Number(output.PredictedIndex.data[0]);
    return {
      model: m.name, version: m.version, label: m.classes[index], index, probability: probabilities[index].probability,
      top: [...probabilities].sort((a, b) => b.probability - a.probability).slice(0, TOP), probabilities,
      milliseconds: performance.now() - clock, engine: 'browser',
    };
  }

  // ---- predictions: one at a time, the latest input wins ------------------------------------------------

  function setState(state) { result.dataset.state = state; }

  function current() { return models.find(x => x.name === select.value); }

  function schedule(now = false) {
    if (!input || !select.value || (input.kind === 'drawing' && !inked)) return;
    pending = true;
    setState('busy');
    if (inFlight) return; // predicted when the one in flight is done
    clearTimeout(timer);
    const interval = document.body.dataset.engine === 'browser' ? BROWSER_INTERVAL_MS : SEND_INTERVAL_MS;
    timer = setTimeout(send, now ? 0 : Math.max(0, lastSent + interval - performance.now()));
  }

  async function body() {
    if (input.kind === 'file') {
      const form = new FormData();
      form.append('image', input.file, input.file.name);
      return form;
    }
    return new Promise(resolve => pad.toBlob(resolve, 'image/png'));
  }

  async function predictOnServer(model) {
    let response;
    try {
      response = await fetch(`api/models/${encodeURIComponent(model)}/predict?top=${TOP}`, { method: 'POST', body: await body() });
    } catch (err) {
      throw new Error(`cannot reach the server (${err.message})`);
    }
    const json = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
    if (!response.ok) throw new Error(json.error || `HTTP ${response.status}`);
    return { ...json, engine: 'server' };
  }

  async function send() {
    if (!pending || inFlight || !input) return;
    pending = false;
    inFlight = true;
    lastSent = performance.now();
    const mine = epoch, m = current();
    let outcome = 'done';
    try {
      // A file this browser cannot decode goes to the server, which reads more formats (or says what is wrong).
      const local = input.kind === 'file' && !input.bitmap ? null : readySession(m);
      const p = local ? await predictInBrowser(m, local) : await predictOnServer(m.name);
      if (mine === epoch) show(p);
    } catch (err) {
      if (mine === epoch) { showError(err.message); outcome = 'error'; }
    } finally {
      inFlight = false;
      if (pending) schedule();
      else if (mine === epoch) setState(outcome);
    }
  }

  function show(p) {
    result.dataset.shown = String(++shown);
    result.dataset.engine = p.engine;
    // Every class's probability, in the model's class order (what tests compare with the server's answer).
    result.dataset.probabilities = JSON.stringify(p.probabilities.map(s => s.probability));
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
    status.textContent = `${p.model} (version ${p.version}) · ${p.milliseconds.toFixed(1)} ms ${p.engine === 'browser' ? 'in this browser' : 'on the server'}`;
  }

  function showError(message) {
    delete result.dataset.probabilities;
    labelOut.textContent = '?';
    bars.replaceChildren();
    status.textContent = message;
  }

  // ---- models ---------------------------------------------------------------------------------

  function describe(m) {
    const listed = m.classes.slice(0, 12).join(' ') + (m.classes.length > 12 ? ' …' : '');
    const where = document.body.dataset.browserModel === m.name ? ' · runs in this browser' : '';
    return `${m.kind} · ${m.classes.length} classes (${listed}) · ${m.width}×${m.height}${where}`;
  }

  /** Starts loading the chosen model's in-browser session; body[data-engine] says who predicts once it is known. */
  function choose(m) {
    modelInfo.textContent = m ? describe(m) : '';
    document.body.dataset.engine = 'server';
    delete document.body.dataset.browserModel;
    browserSession(m).then(local => {
      if (current() !== m) return;
      document.body.dataset.engine = local ? 'browser' : 'server';
      if (local) document.body.dataset.browserModel = m.name;
      modelInfo.textContent = describe(m);
    });
  }

  select.addEventListener('change', () => {
    epoch++;
    choose(current());
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
      choose(preferred);
      status.textContent = 'Draw something, or drop an image.';
    } else {
      status.textContent = "No models in the server's folder: add a model .zip there.";
    }
    document.body.dataset.ready = 'true';
  }

  resetPad();
  loadModels();
})();
