// The player's behaviour: one instance per <section class="audio-player">. Playback state lives here, in the browser,
// so the time display, seek bar and waveform follow the audio without a round trip to the server.
// Elapsed time counts whole seconds passed; a length is rounded, as the list shows it.
const format = (s, round) => {
  if (!isFinite(s) || s < 0) s = 0;
  s = round ? Math.round(s) : Math.floor(s);
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
};

export function create(root) {
  const $ = role => root.querySelector(`[data-role="${role}"]`);
  const audio = $("audio"), play = $("play"), icon = $("play-icon"), seek = $("seek"), elapsed = $("elapsed"),
    total = $("total"), speed = $("speed"), canvas = $("wave"), error = $("error");
  let peaks = [], duration = 0, seeking = false, waveRequest = null;

  const length = () => (isFinite(audio.duration) && audio.duration > 0 ? audio.duration : duration);

  function draw() {
    const ctx = canvas.getContext("2d");
    const width = canvas.clientWidth, height = canvas.clientHeight, ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) { canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio); }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const played = length() > 0 ? audio.currentTime / length() : 0;
    const bars = Math.max(1, Math.floor(width / 3));
    for (let i = 0; i < bars; i++) {
      let peak = 0;
      if (peaks.length) {
        const from = Math.floor(i * peaks.length / bars), to = Math.max(from + 1, Math.floor((i + 1) * peaks.length / bars));
        for (let j = from; j < to; j++) peak = Math.max(peak, peaks[j]);
      }
      const h = Math.max(1, Math.min(1, peak * 1.6) * (height - 2));
      ctx.fillStyle = i / bars < played ? "#1f5f8b" : "#b7c6d3";
      ctx.fillRect(i * 3, (height - h) / 2, 2, h);
    }
  }

  function update() {
    elapsed.textContent = format(audio.currentTime);
    if (!seeking) seek.value = audio.currentTime;
    draw();
  }

  function toggle() {
    if (audio.paused) audio.play().catch(() => { }); else audio.pause();
  }

  function jump(seconds) {
    audio.currentTime = Math.max(0, Math.min(length() || 0, audio.currentTime + seconds));
    update();
  }

  const onKey = e => {
    const target = e.target;
    if (target instanceof HTMLInputElement && target.type !== "range" || target instanceof HTMLTextAreaElement
      || target instanceof HTMLSelectElement || target?.isContentEditable) return;
    if (e.key === " " || e.code === "Space") { e.preventDefault(); toggle(); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); jump(-5); }
    else if (e.key === "ArrowRight") { e.preventDefault(); jump(5); }
  };

  play.addEventListener("click", toggle);
  $("back").addEventListener("click", () => jump(-10));
  $("forward").addEventListener("click", () => jump(10));
  seek.addEventListener("input", () => { seeking = true; elapsed.textContent = format(Number(seek.value)); });
  seek.addEventListener("change", () => { audio.currentTime = Number(seek.value); seeking = false; update(); });
  speed.addEventListener("change", () => { audio.playbackRate = Number(speed.value); });
  canvas.addEventListener("click", e => {
    const box = canvas.getBoundingClientRect();
    if (length() > 0) { audio.currentTime = (e.clientX - box.left) / box.width * length(); update(); }
  });
  audio.addEventListener("timeupdate", update);
  audio.addEventListener("seeked", update);
  audio.addEventListener("play", () => { icon.textContent = "❚❚"; root.classList.add("playing"); });
  audio.addEventListener("pause", () => { icon.textContent = "▶"; root.classList.remove("playing"); });
  audio.addEventListener("loadedmetadata", () => {
    seek.max = length();
    total.textContent = format(length(), true);
    audio.playbackRate = Number(speed.value);
    update();
  });
  audio.addEventListener("error", () => { error.hidden = false; });
  document.addEventListener("keydown", onKey);
  const resize = new ResizeObserver(() => draw());
  resize.observe(canvas);

  return {
    load(audioUrl, waveformUrl, seconds, autoPlay) {
      error.hidden = true;
      duration = seconds;
      peaks = [];
      seek.max = Math.max(1, seconds);
      seek.value = 0;
      total.textContent = format(seconds, true);
      audio.src = audioUrl;
      audio.playbackRate = Number(speed.value);
      if (autoPlay) audio.play().catch(() => { });
      update();
      const request = waveRequest = fetch(waveformUrl, { credentials: "same-origin" })
        .then(r => (r.ok ? r.json() : null))
        .then(w => { if (w && request === waveRequest) { peaks = w.peaks; draw(); } })
        .catch(() => { });
    },
    dispose() {
      document.removeEventListener("keydown", onKey);
      resize.disconnect();
      audio.pause();
      audio.removeAttribute("src");
      audio.load();
    },
  };
}
