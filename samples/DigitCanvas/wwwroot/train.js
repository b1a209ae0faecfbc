// ScratchNet · the Train view. Plain JavaScript, no libraries: posts the options to POST /api/train, follows the
// job's Server-Sent Events (GET /api/train/{id}/events) and draws the cost, the test accuracy and the first
// layer's weights as they change. The job, and the network it trains, live as long as that stream: closing it
// (a new training, or leaving the page) ends them on the server.
"use strict";

(() => {
  const FIELDS = ["hidden", "activation", "cost", "optimizer", "learningRate", "finalLearningRate", "schedule", "weightDecay", "batchSize", "epochs", "seed"];
  const $ = (id) => document.getElementById(id);
  const form = $("train-form");
  const message = $("train-message");
  const chart = $("chart");
  const weightsCanvas = $("weights");

  const train = {
    setup: null,        // GET /api/train
    events: null,       // the EventSource of the current job
    job: null,          // the started event
    state: "idle",      // idle, training, finished, stopped, failed, ended
    costs: [],          // {epochs, cost}
    epochs: [],         // epoch events
    weights: null,      // the last weights event
    weightUpdates: 0,
    result: null,       // the done event
    startedAt: 0,       // performance.now() when Train was pressed
    reached: {},        // accuracy threshold → ms from pressing Train to the first epoch at or above it
    progress: null,
    speeds: [],         // samples per second of each progress event
  };

  // ---------- the two views ----------
  function show(view) {
    const training = view === "train";
    $("draw-view").hidden = training;
    $("train-view").hidden = !training;
    $("model-label").hidden = training;
    $("show-draw").setAttribute("aria-pressed", String(!training));
    $("show-train").setAttribute("aria-pressed", String(training));
    $("title").textContent = training ? "Watch it learn" : "Draw a digit";
    $("subtitle").textContent = training ? "train a network on MNIST's 60,000 digits, then draw to test it" : "ScratchNet reads it as you draw";
    if (training) {
      openSetup();
      drawChart();
      drawWeights();
    } else {
      window.digitCanvas.redraw();
    }
  }

  $("show-draw").addEventListener("click", () => show("draw"));
  $("show-train").addEventListener("click", () => show("train"));

  // ---------- the form ----------
  async function openSetup() {
    if (train.setup) return;
    message.textContent = "Loading MNIST…";
    const response = await fetch("api/train");
    const answer = await response.json();
    if (!response.ok) {
      fail(answer.error);
      $("train").disabled = true;
      return;
    }
    train.setup = answer;
    fillChoices("activation", answer.limits.activations);
    fillChoices("cost", answer.limits.costs);
    fillChoices("optimizer", answer.limits.optimizers);
    fillChoices("schedule", answer.limits.schedules);
    applyPreset(answer.seed);
    message.textContent = `Up to ${answer.limits.maxHiddenLayers} hidden layers of up to ${answer.limits.maxWidth} neurons, up to ${answer.limits.maxEpochs} epochs.`;
  }

  function fillChoices(id, values) {
    const select = $(id);
    select.replaceChildren(...values.map((v) => { const o = document.createElement("option"); o.value = o.textContent = v; return o; }));
  }

  function applyPreset(options) {
    for (const field of FIELDS) {
      $(field).value = field === "hidden" ? options.hidden.join(", ") : String(options[field]);
    }
    $("preset").value = "seed";
  }

  $("preset").addEventListener("change", () => { if ($("preset").value === "seed" && train.setup) applyPreset(train.setup.seed); });
  for (const field of FIELDS) $(field).addEventListener("input", () => { $("preset").value = "custom"; });

  // The options as typed: what is not a number is sent as text, so the server's 400 names the field.
  function options() {
    const body = {};
    for (const field of FIELDS) {
      const text = $(field).value.trim();
      if (field === "hidden") {
        body.hidden = text === "" ? [] : text.split(/[\s,]+/).filter((t) => t).map((t) => (/^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t));
      } else if (field === "activation" || field === "cost" || field === "optimizer" || field === "schedule") {
        body[field] = text;
      } else {
        body[field] = text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
      }
    }
    return body;
  }

  function fail(text) {
    message.textContent = text;
    message.classList.add("error");
  }

  // ---------- a job ----------
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    endSession();
    train.startedAt = performance.now();
    message.classList.remove("error");
    message.textContent = "Starting…";
    const response = await fetch("api/train", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(options()) });
    const answer = await response.json();
    if (!response.ok) {
      fail(answer.error);
      return;
    }
    begin(answer);
  });

  $("stop").addEventListener("click", async () => {
    if (!train.job) return;
    $("stop").disabled = true;
    await fetch(`api/train/${train.job.id}/stop`, { method: "POST" });
  });

  function begin(job) {
    Object.assign(train, { job, state: "training", costs: [], epochs: [], weights: null, weightUpdates: 0, result: null, reached: {}, progress: null, speeds: [] });
    $("outcome").hidden = true;
    $("stop").disabled = false;
    $("train").disabled = true;   // one job per page: Stop it first
    message.textContent = job.description;
    $("weights-title").textContent = `${job.neurons} neurons × 784 weights`;
    const events = new EventSource(`api/train/${job.id}/events`);
    train.events = events;
    events.addEventListener("progress", (e) => {
      const p = JSON.parse(e.data);
      train.progress = p;
      if (p.batch > 1) train.speeds.push(p.samplesPerSecond);
      train.costs.push(...p.costs);
      $("train-progress").textContent = `epoch ${p.epoch}/${p.epochs} · ${Math.round(p.samplesPerSecond).toLocaleString("en")} samples/s · ${p.elapsedSeconds.toFixed(1)} s · about ${Math.ceil(p.secondsLeft)} s left`;
      drawChart();
    });
    events.addEventListener("weights", (e) => {
      train.weights = JSON.parse(e.data);
      train.weightUpdates++;
      drawWeights();
    });
    events.addEventListener("epoch", (e) => {
      const epoch = JSON.parse(e.data);
      train.epochs.push(epoch);
      for (const threshold of [0.9, 0.94]) {
        if (epoch.testAccuracy >= threshold && train.reached[threshold] === undefined) train.reached[threshold] = performance.now() - train.startedAt;
      }
      drawChart();
    });
    events.addEventListener("done", (e) => finish(JSON.parse(e.data)));
    // The server ends a job when its stream closes, so a broken stream is not retried.
    events.onerror = () => {
      events.close();
      if (train.events !== events) return;
      train.events = null;
      $("stop").disabled = true;
      $("train").disabled = false;
      if (train.state === "training") fail("The connection to the server was lost; the training ended.");
      forget();
    };
  }

  function finish(result) {
    train.result = result;
    train.state = result.state;
    $("stop").disabled = true;
    $("train").disabled = false;
    if (result.state === "failed") {
      fail("Training failed: " + result.reason);
      return;
    }
    const accuracy = (result.accuracy * 100).toFixed(2);
    const how = result.state === "stopped" ? `stopped (${result.reason}) after` : "trained in";
    message.textContent = `${how} ${result.elapsedSeconds.toFixed(1)} s: ${accuracy}% of the test digits read right. It is "your network" in the drawing view.`;
    $("train-progress").textContent = `${train.epochs.length} epochs · ${result.elapsedSeconds.toFixed(1)} s · test accuracy ${accuracy}%`;
    $("outcome-title").textContent = `${result.correct.toLocaleString("en")} of ${result.count.toLocaleString("en")} right (${accuracy}%)`;
    showConfusion(result.confusion);
    showMisread(result.misread);
    $("download").href = `api/train/${train.job.id}/model`;
    $("outcome").hidden = false;
    window.digitCanvas.addModel(result.model, "your network", train.job.description);
  }

  // Closing the stream ends the job on the server; the page forgets its network too.
  function endSession() {
    if (train.events) {
      train.events.close();
      train.events = null;
    }
    forget();
  }

  function forget() {
    if (train.result && train.result.model) window.digitCanvas.removeModel(train.result.model);
    if (train.state === "training") train.state = "ended";
  }

  $("use-it").addEventListener("click", async () => {
    show("draw");
    await window.digitCanvas.selectModel(train.result.model);
  });

  // ---------- the chart: cost (left scale) and test accuracy (right scale) against epochs ----------
  function canvasContext(canvas, height) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.height = height + "px";
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    return { g, width, height };
  }

  function drawChart() {
    if ($("train-view").hidden) return;
    const { g, width, height } = canvasContext(chart, 260);
    const left = 52, right = 56, top = 12, bottom = 28;
    const w = width - left - right, h = height - top - bottom;
    const epochs = train.job ? train.job.options.epochs : 1;
    const maxCost = Math.max(1e-9, ...train.costs.map((c) => c.cost));
    const accuracies = train.epochs.map((e) => e.testAccuracy);
    const lowAccuracy = accuracies.length ? Math.min(0.8, Math.floor(Math.min(...accuracies) * 10) / 10) : 0.8;
    const x = (epoch) => left + (w * epoch) / epochs;
    const yCost = (cost) => top + h - (h * cost) / maxCost;
    const yAccuracy = (a) => top + h - (h * (a - lowAccuracy)) / (1 - lowAccuracy);

    g.font = "12px system-ui, sans-serif";
    g.strokeStyle = "#243044";
    g.lineWidth = 1;
    g.fillStyle = "#8a97ab";
    for (let k = 0; k <= 4; k++) {
      const y = top + (h * k) / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(left + w, y); g.stroke();
      g.textAlign = "right";
      if (train.costs.length) g.fillText((maxCost * (1 - k / 4)).toPrecision(2), left - 6, y + 4);
      g.textAlign = "left";
      g.fillText(((1 - k / 4) * (1 - lowAccuracy) * 100 + lowAccuracy * 100).toFixed(0) + "%", left + w + 6, y + 4);
    }
    g.textAlign = "center";
    const step = Math.max(1, Math.ceil(epochs / 10));
    for (let e = 0; e <= epochs; e += step) g.fillText(String(e), x(e), height - 8);
    g.textAlign = "right";
    g.fillText("epoch", left - 10, height - 8);

    if (!train.job) {
      g.textAlign = "center";
      g.fillText("Press Train: the cost falls and the test accuracy climbs here, live.", left + w / 2, top + h / 2);
    }
    if (train.costs.length) {
      g.strokeStyle = "#58c4dd";
      g.lineWidth = 1.5;
      g.beginPath();
      train.costs.forEach((c, i) => (i ? g.lineTo(x(c.epochs), yCost(c.cost)) : g.moveTo(x(c.epochs), yCost(c.cost))));
      g.stroke();
    }
    if (train.epochs.length) {
      g.strokeStyle = g.fillStyle = "#83c167";
      g.lineWidth = 2;
      g.beginPath();
      train.epochs.forEach((e, i) => (i ? g.lineTo(x(e.epoch), yAccuracy(e.testAccuracy)) : g.moveTo(x(e.epoch), yAccuracy(e.testAccuracy))));
      g.stroke();
      for (const e of train.epochs) { g.beginPath(); g.arc(x(e.epoch), yAccuracy(e.testAccuracy), 3, 0, Math.PI * 2); g.fill(); }
      const last = train.epochs[train.epochs.length - 1];
      g.textAlign = "right";
      g.fillText(`${(last.testAccuracy * 100).toFixed(2)}%`, x(last.epoch) - 6, yAccuracy(last.testAccuracy) + 16);
    }
  }

  // ---------- the first layer's weights, one 28 × 28 image per neuron ----------
  const tile = document.createElement("canvas");
  tile.width = tile.height = 28;
  const tileContext = tile.getContext("2d");

  function drawWeights() {
    if ($("train-view").hidden || !train.weights) return;
    const { neurons, inputs, weights } = train.weights;
    const bytes = Uint8Array.from(atob(weights), (c) => c.charCodeAt(0));
    const columns = neurons <= 16 ? 8 : neurons <= 64 ? 16 : 32;
    const rows = Math.ceil(neurons / columns);
    const gap = 3;
    const side = Math.floor((weightsCanvas.clientWidth - gap * (columns - 1)) / columns);
    const { g } = canvasContext(weightsCanvas, rows * side + (rows - 1) * gap);
    g.imageSmoothingEnabled = false;
    const image = tileContext.createImageData(28, 28);
    for (let i = 0; i < neurons; i++) {
      for (let j = 0; j < inputs; j++) {
        const q = (bytes[i * inputs + j] << 24 >> 24) / 127;   // the signed byte back to −1 … 1
        const a = Math.abs(q);
        image.data[j * 4] = Math.round(11 + a * (q > 0 ? 77 : 241));
        image.data[j * 4 + 1] = Math.round(15 + a * (q > 0 ? 181 : 83));
        image.data[j * 4 + 2] = Math.round(23 + a * (q > 0 ? 198 : 62));
        image.data[j * 4 + 3] = 255;
      }
      tileContext.putImageData(image, 0, 0);
      g.drawImage(tile, (i % columns) * (side + gap), Math.floor(i / columns) * (side + gap), side, side);
    }
  }

  // ---------- the outcome ----------
  function showConfusion(matrix) {
    const table = $("confusion");
    const head = document.createElement("tr");
    head.appendChild(document.createElement("th")).textContent = "true \\ said";
    for (let k = 0; k < 10; k++) head.appendChild(document.createElement("th")).textContent = String(k);
    const rows = matrix.map((row, r) => {
      const tr = document.createElement("tr");
      tr.appendChild(document.createElement("th")).textContent = String(r);
      row.forEach((count, c) => {
        const td = tr.appendChild(document.createElement("td"));
        td.textContent = String(count);
        td.className = r === c ? "right" : count === 0 ? "zero" : "wrong";
      });
      return tr;
    });
    table.replaceChildren(head, ...rows);
  }

  function showMisread(misread) {
    $("misread").replaceChildren(...misread.map((m) => {
      const figure = document.createElement("figure");
      const canvas = figure.appendChild(document.createElement("canvas"));
      canvas.width = canvas.height = 28;
      const g = canvas.getContext("2d");
      const image = g.createImageData(28, 28);
      const bytes = Uint8Array.from(atob(m.pixels), (c) => c.charCodeAt(0));
      bytes.forEach((v, i) => { image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = v; image.data[i * 4 + 3] = 255; });
      g.putImageData(image, 0, 0);
      figure.appendChild(document.createElement("figcaption")).textContent = `${m.label} → ${m.predicted}`;
      return figure;
    }));
  }

  window.addEventListener("resize", () => { drawChart(); drawWeights(); });
  window.addEventListener("pagehide", endSession);

  // For the browser test and the curious.
  window.digitCanvas.training = () => ({
    state: train.state,
    accuracies: train.epochs.map((e) => e.testAccuracy),
    serverSeconds: train.epochs.map((e) => e.elapsedSeconds),
    reached: train.reached,
    weightUpdates: train.weightUpdates,
    speeds: train.speeds,
    model: train.result ? train.result.model : null,
    result: train.result,
    job: train.job,
  });
})();
