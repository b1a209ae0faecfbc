// ScratchNet · Draw a digit. Plain JavaScript, no libraries: draws on a canvas, sends the canvas to
// POST /api/predict at most every 100 ms with at most one request in flight, and shows the answer.
"use strict";

(() => {
  const SEND_SIDE = 280;          // the canvas is sent at 280 × 280 (the server takes 1 to 1024 per side)
  const MIN_INTERVAL_MS = 100;    // at most one prediction request per 100 ms while drawing
  const PEN_WIDTH = 34;           // stroke width in pad pixels (the pad is 560 × 560)
  const INPUT_EDGES = 160;        // input → first hidden layer: how many of the strongest lines to draw

  const pad = document.getElementById("pad");
  const ink = pad.getContext("2d");
  const seen = document.getElementById("seen");
  const seenContext = seen.getContext("2d");
  const net = document.getElementById("net");
  const digitEl = document.getElementById("digit");
  const confidenceEl = document.getElementById("confidence");
  const latencyEl = document.getElementById("latency");
  const barsEl = document.getElementById("bars");
  const modelEl = document.getElementById("model");
  const netTitle = document.getElementById("net-title");
  const small = document.createElement("canvas");
  small.width = small.height = SEND_SIDE;
  const smallContext = small.getContext("2d", { willReadFrequently: true });

  const state = {
    model: "seed",
    description: null,     // GET /api/models/{name}
    answer: null,          // the last POST /api/predict answer
    dirty: false,          // the drawing changed since the last request was sent
    inFlight: false,
    lastSent: 0,
    timer: 0,
    strokes: 0,
    latencies: [],         // round trips in ms, newest last
  };

  // ---------- drawing ----------
  let points = [];
  let activePointer = null;

  function clearPad() {
    ink.fillStyle = "#000";
    ink.fillRect(0, 0, pad.width, pad.height);
  }

  function padPoint(event) {
    const box = pad.getBoundingClientRect();
    const pressure = event.pointerType === "pen" && event.pressure > 0 ? event.pressure : 0.5;
    return {
      x: (event.clientX - box.left) * (pad.width / box.width),
      y: (event.clientY - box.top) * (pad.height / box.height),
      w: PEN_WIDTH * (0.55 + 0.9 * pressure),
    };
  }

  function drawSegment() {
    // A quadratic curve through the midpoints of the last three points: a smooth, pen-like line.
    const n = points.length;
    ink.strokeStyle = "#fff";
    ink.fillStyle = "#fff";
    ink.lineCap = "round";
    ink.lineJoin = "round";
    if (n === 1) {
      const p = points[0];
      ink.beginPath();
      ink.arc(p.x, p.y, p.w / 2, 0, Math.PI * 2);
      ink.fill();
      return;
    }
    const a = n >= 3 ? points[n - 3] : points[n - 2];
    const b = points[n - 2];
    const c = points[n - 1];
    const start = n >= 3 ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : a;
    const end = { x: (b.x + c.x) / 2, y: (b.y + c.y) / 2 };
    ink.lineWidth = (b.w + c.w) / 2;
    ink.beginPath();
    ink.moveTo(start.x, start.y);
    ink.quadraticCurveTo(b.x, b.y, end.x, end.y);
    ink.stroke();
  }

  function finishStroke() {
    if (points.length >= 2) {
      const b = points[points.length - 2];
      const c = points[points.length - 1];
      ink.lineWidth = c.w;
      ink.beginPath();
      ink.moveTo((b.x + c.x) / 2, (b.y + c.y) / 2);
      ink.lineTo(c.x, c.y);
      ink.stroke();
    }
    points = [];
    activePointer = null;
    state.strokes++;
    changed(true);
  }

  pad.addEventListener("pointerdown", (event) => {
    if (activePointer !== null || event.button > 0) return;
    event.preventDefault();
    activePointer = event.pointerId;
    pad.setPointerCapture(event.pointerId);
    points = [padPoint(event)];
    drawSegment();
    changed(false);
  });

  pad.addEventListener("pointermove", (event) => {
    if (event.pointerId !== activePointer) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      points.push(padPoint(e));
      drawSegment();
    }
    changed(false);
  });

  for (const type of ["pointerup", "pointercancel"]) {
    pad.addEventListener(type, (event) => {
      if (event.pointerId === activePointer) finishStroke();
    });
  }

  function clearAll() {
    clearPad();
    points = [];
    activePointer = null;
    changed(true);
  }

  document.getElementById("clear").addEventListener("click", clearAll);
  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLSelectElement || event.target instanceof HTMLInputElement || document.getElementById("draw-view").hidden) return;
    if (event.key === "Escape" || event.key === "Backspace" || event.key === "Delete" || event.key === "c" || event.key === "C") {
      event.preventDefault();
      clearAll();
    }
  });

  // ---------- talking to the server ----------
  function setSettled() {
    document.body.dataset.settled = String(!state.dirty && !state.inFlight && activePointer === null);
  }

  function changed(now) {
    state.dirty = true;
    setSettled();
    schedule(now);
  }

  function schedule(now) {
    if (state.inFlight || !state.dirty) return;
    const wait = now ? 0 : Math.max(0, state.lastSent + MIN_INTERVAL_MS - performance.now());
    clearTimeout(state.timer);
    state.timer = setTimeout(send, wait);
  }

  function canvasBytes() {
    smallContext.imageSmoothingEnabled = true;
    smallContext.imageSmoothingQuality = "high";
    smallContext.drawImage(pad, 0, 0, SEND_SIDE, SEND_SIDE);
    const rgba = smallContext.getImageData(0, 0, SEND_SIDE, SEND_SIDE).data;
    const grey = new Uint8Array(SEND_SIDE * SEND_SIDE);
    for (let i = 0; i < grey.length; i++) grey[i] = rgba[i * 4];
    return grey;
  }

  function base64(bytes) {
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  async function send() {
    if (state.inFlight || !state.dirty) return;
    state.inFlight = true;
    state.dirty = false;
    state.lastSent = performance.now();
    // Every layer's output is asked for only when the network picture can use it (dense networks).
    const body = JSON.stringify({ width: SEND_SIDE, height: SEND_SIDE, pixels: base64(canvasBytes()), model: state.model, layers: drawable() });
    const started = performance.now();
    try {
      const response = await fetch("api/predict", { method: "POST", headers: { "Content-Type": "application/json" }, body });
      if (response.status === 503) {
        // The server is busy: send the drawing again after Retry-After seconds.
        const seconds = Number(response.headers.get("Retry-After")) || 1;
        state.dirty = true;
        state.lastSent = performance.now() + seconds * 1000 - MIN_INTERVAL_MS;
      }
      const answer = await response.json();
      const roundTrip = performance.now() - started;
      if (!response.ok) throw new Error(answer.error || response.statusText);
      state.latencies.push(roundTrip);
      if (state.latencies.length > 200) state.latencies.shift();
      state.answer = answer;
      show(answer, roundTrip);
    } catch (error) {
      confidenceEl.textContent = "Error: " + error.message;
    } finally {
      state.inFlight = false;
      setSettled();
      schedule(false);
    }
  }

  // ---------- showing the answer ----------
  const bars = [];
  for (let k = 0; k < 10; k++) {
    const row = document.createElement("div");
    row.className = "bar";
    row.innerHTML = `<span>${k}</span><div class="track"><div class="fill"></div></div><span class="pct">0%</span>`;
    barsEl.appendChild(row);
    bars.push({ row, fill: row.querySelector(".fill"), pct: row.querySelector(".pct") });
  }

  function show(answer, roundTrip) {
    if (answer.empty) {
      digitEl.textContent = "?";
      digitEl.dataset.digit = "";
      confidenceEl.textContent = "Draw something";
      latencyEl.textContent = "";
      bars.forEach((bar) => { bar.fill.style.width = "0"; bar.pct.textContent = "0%"; bar.row.classList.remove("top"); });
      seenContext.clearRect(0, 0, 28, 28);
    } else {
      digitEl.textContent = String(answer.digit);
      digitEl.dataset.digit = String(answer.digit);
      const p = answer.probabilities[answer.digit];
      confidenceEl.textContent = `It's a ${answer.digit} (${(p * 100).toFixed(0)}%)`;
      latencyEl.textContent = `round trip ${roundTrip.toFixed(0)} ms · server ${answer.serverMilliseconds.toFixed(1)} ms`;
      bars.forEach((bar, k) => {
        const value = answer.probabilities[k];
        bar.fill.style.width = (value * 100).toFixed(1) + "%";
        bar.pct.textContent = (value * 100).toFixed(0) + "%";
        bar.row.classList.toggle("top", k === answer.digit);
      });
      const image = seenContext.createImageData(28, 28);
      answer.inputs.forEach((v, i) => {
        const g = Math.round(v * 255);
        image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = g;
        image.data[i * 4 + 3] = 255;
      });
      seenContext.putImageData(image, 0, 0);
    }
    drawNetwork();
  }

  // ---------- the network, 3Blue1Brown style ----------
  function denseLayers() {
    return state.description ? state.description.layers.filter((l) => l.kind === "dense") : [];
  }

  // The picture is for fully connected networks: dense layers, each followed by an element-wise activation.
  const ELEMENTWISE = new Set(["sigmoid", "relu", "leakyrelu", "tanh", "identity", "softmax", "dropout"]);
  function drawable() {
    const dense = denseLayers();
    return dense.length > 0 && state.description.layers.every((l) => l.kind === "dense" || ELEMENTWISE.has(l.kind))
      && dense[0].inputs === 784 && dense.every((l) => l.outputs <= 32);
  }

  // The activation of each dense layer's neurons: the output of the activation layer after it, if any.
  function neuronActivations() {
    if (!state.answer || state.answer.empty) return null;
    const layers = state.answer.layers;
    const result = [];
    layers.forEach((layer, i) => {
      if (layer.kind !== "dense") return;
      const next = layers[i + 1];
      result.push(next && next.kind !== "dense" ? next.activations : layer.activations);
    });
    return result;
  }

  function drawNetwork() {
    const ratio = window.devicePixelRatio || 1;
    const width = net.clientWidth, height = net.clientHeight;
    if (net.width !== Math.round(width * ratio) || net.height !== Math.round(height * ratio)) {
      net.width = Math.round(width * ratio);
      net.height = Math.round(height * ratio);
    }
    const g = net.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    if (!state.description) return;
    if (!drawable()) {
      g.fillStyle = "#8a97ab";
      g.font = "15px system-ui, sans-serif";
      g.fillText("The picture shows small fully connected networks (up to 32 neurons a layer); this model is not one.", 12, 28);
      return;
    }

    const dense = denseLayers();
    const inputs = state.answer && !state.answer.empty ? state.answer.inputs : null;
    const activations = neuronActivations();
    const pad = 16;
    const gridSide = Math.min(height - 2 * pad, width * 0.3);
    const cell = gridSide / 28;
    const gridLeft = pad, gridTop = (height - gridSide) / 2;
    const columns = dense.length;
    const firstX = gridLeft + gridSide + Math.max(60, (width - gridSide) * 0.22);
    const lastX = width - pad - 26;
    const maxNeurons = Math.max(...dense.map((l) => l.outputs));
    const radius = Math.max(3, Math.min(13, (height - 2 * pad) / maxNeurons / 2.5));
    const positions = dense.map((layer, c) => {
      const x = columns === 1 ? lastX : firstX + (lastX - firstX) * c / (columns - 1);
      const spacing = Math.min((height - 2 * pad) / layer.outputs, radius * 3);
      const top = height / 2 - spacing * (layer.outputs - 1) / 2;
      return Array.from({ length: layer.outputs }, (_, i) => ({ x, y: top + spacing * i }));
    });
    const cellCentre = (j) => ({ x: gridLeft + (j % 28 + 0.5) * cell, y: gridTop + (Math.floor(j / 28) + 0.5) * cell });

    // Lines: the strongest contributions w·a into each layer.
    g.lineCap = "round";
    dense.forEach((layer, c) => {
      const from = c === 0 ? null : positions[c - 1];
      const source = c === 0 ? inputs : activations ? activations[c - 1] : null;
      const w = layer.weights;
      const lines = [];
      for (let i = 0; i < layer.outputs; i++) {
        for (let j = 0; j < layer.inputs; j++) {
          const a = source ? source[j] : 1;
          const value = w[i * layer.inputs + j] * a;
          if (value !== 0) lines.push([i, j, value]);
        }
      }
      lines.sort((p, q) => Math.abs(q[2]) - Math.abs(p[2]));
      const keep = c === 0 ? lines.slice(0, INPUT_EDGES) : lines;
      const strongest = keep.length ? Math.abs(keep[0][2]) : 1;
      const dim = source ? 1 : 0.35;
      for (let k = keep.length - 1; k >= 0; k--) {
        const [i, j, value] = keep[k];
        const strength = Math.abs(value) / strongest;
        if (strength < 0.04) continue;
        const start = c === 0 ? cellCentre(j) : from[j];
        const end = positions[c][i];
        g.strokeStyle = value > 0 ? `rgba(88,196,221,${(0.85 * strength * dim).toFixed(3)})` : `rgba(252,98,85,${(0.85 * strength * dim).toFixed(3)})`;
        g.lineWidth = 0.4 + 2.2 * strength;
        g.beginPath();
        g.moveTo(start.x + (c === 0 ? 0 : radius), start.y);
        g.lineTo(end.x - radius, end.y);
        g.stroke();
      }
    });

    // The 784 inputs as the 28 × 28 grid, over the ends of their lines.
    g.fillStyle = "#0b0f17";
    g.fillRect(gridLeft - 1, gridTop - 1, gridSide + 2, gridSide + 2);
    for (let j = 0; j < 784; j++) {
      const v = inputs ? inputs[j] : 0;
      const shade = Math.round(24 + v * 231);
      g.fillStyle = `rgb(${shade},${shade},${shade})`;
      g.fillRect(gridLeft + (j % 28) * cell, gridTop + Math.floor(j / 28) * cell, cell - 0.35, cell - 0.35);
    }

    // Neurons: brightness = activation.
    const digit = state.answer && !state.answer.empty ? state.answer.digit : null;
    positions.forEach((column, c) => {
      column.forEach((p, i) => {
        const a = activations ? Math.min(1, Math.max(0, activations[c][i])) : 0;
        g.beginPath();
        g.arc(p.x, p.y, radius, 0, Math.PI * 2);
        g.fillStyle = `rgb(${Math.round(20 + a * 235)},${Math.round(26 + a * 229)},${Math.round(38 + a * 217)})`;
        g.fill();
        const isAnswer = c === columns - 1 && i === digit;
        g.lineWidth = isAnswer ? 2.5 : 1;
        g.strokeStyle = isAnswer ? "#58c4dd" : "#5a6a80";
        g.stroke();
        if (c === columns - 1 && layerIsDigits(column)) {
          g.fillStyle = isAnswer ? "#58c4dd" : "#8a97ab";
          g.font = `${isAnswer ? "bold " : ""}${Math.round(radius * 1.3)}px system-ui, sans-serif`;
          g.textBaseline = "middle";
          g.fillText(String(i), p.x + radius + 6, p.y);
        }
      });
    });
  }

  function layerIsDigits(column) { return column.length === 10; }

  // ---------- models ----------
  async function loadModel(name) {
    state.model = name;
    state.description = null;
    const response = await fetch("api/models/" + encodeURIComponent(name));
    state.description = await response.json();
    netTitle.textContent = state.description.layers.filter((l) => l.kind === "dense").map((l) => l.inputs).concat(denseLayers().slice(-1).map((l) => l.outputs)).join(" → ");
    drawNetwork();
    changed(true);
  }

  async function start() {
    clearPad();
    const models = await (await fetch("api/models")).json();
    for (const model of models) {
      const option = document.createElement("option");
      option.value = model.name;
      option.textContent = model.name;
      option.title = model.description;
      modelEl.appendChild(option);
    }
    modelEl.addEventListener("change", () => loadModel(modelEl.value));
    await loadModel(models[0].name);
  }

  window.addEventListener("resize", drawNetwork);

  // For the browser test and the curious: is the shown answer up to date, and how long did requests take?
  window.digitCanvas = {
    settled: () => document.body.dataset.settled === "true",
    latencies: () => state.latencies.slice(),
    answer: () => state.answer,
    clear: clearAll,
    // The Train view (train.js) adds the network it trained, removes it when its session ends, and selects it.
    addModel(name, label, description) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = label;
      option.title = description;
      modelEl.appendChild(option);
    },
    removeModel(name) {
      const option = [...modelEl.options].find((o) => o.value === name);
      if (!option) return;
      option.remove();
      if (state.model === name) loadModel(modelEl.options[0].value);
    },
    selectModel(name) {
      modelEl.value = name;
      return loadModel(name);
    },
    redraw: drawNetwork,
  };

  start().catch((error) => { confidenceEl.textContent = "Could not start: " + error.message; });
})();
