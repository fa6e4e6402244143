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
    total = $("total"), speed = $("speed"), volume = $("volume"), error = $("error");
  // One canvas for a mono recording; one lane per channel (data-channel) for a stereo one. Blazor swaps them when the
  // docked player moves to a recording with other channels, so they are looked up again on each load.
  let canvases = [], waveform = null, duration = 0, seeking = false, waveRequest = null;
  const colours = [["#1f5f8b", "#b7c6d3"], ["#2e7d5b", "#b9d6c8"]];

  const length = () => (isFinite(audio.duration) && audio.duration > 0 ? audio.duration : duration);

  function peaksOf(canvas) {
    if (!waveform) return [];
    const channel = canvas.dataset.channel;
    if (channel === undefined) return waveform.peaks || [];
    return (waveform.channels && waveform.channels[Number(channel)]) || waveform.peaks || [];
  }

  function drawOne(canvas) {
    const ctx = canvas.getContext("2d");
    const width = canvas.clientWidth, height = canvas.clientHeight, ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const peaks = peaksOf(canvas);
    const [playedColour, restColour] = colours[Number(canvas.dataset.channel || 0)] || colours[0];
    const played = length() > 0 ? audio.currentTime / length() : 0;
    const bars = Math.max(1, Math.floor(width / 3));
    for (let i = 0; i < bars; i++) {
      let peak = 0;
      if (peaks.length) {
        const from = Math.floor(i * peaks.length / bars), to = Math.max(from + 1, Math.floor((i + 1) * peaks.length / bars));
        for (let j = from; j < to; j++) peak = Math.max(peak, peaks[j]);
      }
      const h = Math.max(1, Math.min(1, peak * 1.6) * (height - 2));
      ctx.fillStyle = i / bars < played ? playedColour : restColour;
      ctx.fillRect(i * 3, (height - h) / 2, 2, h);
    }
  }

  function draw() {
    for (const canvas of canvases) drawOne(canvas);
  }

  const resize = new ResizeObserver(() => draw());
  function findCanvases() {
    resize.disconnect();
    canvases = [...root.querySelectorAll('canvas[data-role="wave"]')];
    for (const canvas of canvases) resize.observe(canvas);
  }
  findCanvases();

  // What a screen reader says for the slider: "0:12 z 0:40", not "12.3".
  const valueText = seconds => (seek.dataset.valuetext || "{0} / {1}")
    .replace("{0}", format(seconds)).replace("{1}", format(length(), true));

  function update() {
    elapsed.textContent = format(audio.currentTime);
    if (!seeking) {
      seek.value = audio.currentTime;
      seek.setAttribute("aria-valuetext", valueText(audio.currentTime));
    }
    draw();
  }

  function seekTo(seconds) {
    audio.currentTime = Math.max(0, Math.min(length() || 0, seconds));
    update();
  }

  function toggle() {
    if (audio.paused) audio.play().catch(() => { }); else audio.pause();
  }

  function jump(seconds) {
    seekTo(audio.currentTime + seconds);
  }

  // The seek slider's own keys, in whole seconds of audio rather than the range's 0.1 s steps.
  const sliderKeys = { ArrowRight: 5, ArrowUp: 5, ArrowLeft: -5, ArrowDown: -5, PageUp: 30, PageDown: -30 };
  seek.addEventListener("keydown", e => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key in sliderKeys) jump(sliderKeys[e.key]);
    else if (e.key === "Home") seekTo(0);
    else if (e.key === "End") seekTo(length());
    else if (e.key === " ") toggle();
    else return;
    e.preventDefault();
    e.stopPropagation();
  });

  // Anywhere else on the page (not in a field): Space plays or pauses, the arrows jump five seconds.
  const onKey = e => {
    const target = e.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement
      || target instanceof HTMLSelectElement || target?.isContentEditable) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    // A focused button does its own thing on Space (the browser clicks it); toggling here as well would undo it.
    if ((e.key === " " || e.code === "Space") && target instanceof HTMLButtonElement) return;
    if (e.key === " " || e.code === "Space") { e.preventDefault(); toggle(); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); jump(-5); }
    else if (e.key === "ArrowRight") { e.preventDefault(); jump(5); }
  };

  play.addEventListener("click", toggle);
  $("back").addEventListener("click", () => jump(-10));
  $("forward").addEventListener("click", () => jump(10));
  seek.addEventListener("input", () => { seeking = true; elapsed.textContent = format(Number(seek.value)); });
  seek.addEventListener("change", () => { seeking = false; seekTo(Number(seek.value)); });
  speed.addEventListener("change", () => { audio.playbackRate = Number(speed.value); });
  const setVolume = () => {
    audio.volume = Math.max(0, Math.min(1, Number(volume.value)));
    volume.setAttribute("aria-valuetext", `${Math.round(audio.volume * 100)} %`);
  };
  volume.addEventListener("input", setVolume);
  volume.addEventListener("change", setVolume);
  root.addEventListener("click", e => {
    const mark = e.target instanceof Element ? e.target.closest('[data-role="mark"]') : null;
    if (mark) { audio.currentTime = Number(mark.dataset.startMs) / 1000; update(); return; }
    const lane = e.target instanceof Element ? e.target.closest('.player-lane, canvas[data-role="wave"]') : null;
    const canvas = lane?.matches("canvas") ? lane : lane?.querySelector('canvas[data-role="wave"]');
    if (!canvas) return;
    const box = canvas.getBoundingClientRect();
    if (length() > 0) { audio.currentTime = (e.clientX - box.left) / box.width * length(); update(); }
  });
  audio.addEventListener("timeupdate", update);
  audio.addEventListener("seeked", update);
  const showPlaying = on => {
    icon.textContent = on ? "❚❚" : "▶";
    root.classList.toggle("playing", on);
    const label = on ? play.dataset.labelPause : play.dataset.labelPlay;
    if (label) { play.setAttribute("aria-label", label); play.title = label; }
  };
  audio.addEventListener("play", () => showPlaying(true));
  audio.addEventListener("pause", () => showPlaying(false));
  audio.addEventListener("loadedmetadata", () => {
    seek.max = length();
    total.textContent = format(length(), true);
    audio.playbackRate = Number(speed.value);
    update();
  });
  // The media element hides the server's answer: ask again for one byte, and show the problem's own words when there is
  // one (e.g. "ffmpeg is missing on the server"), else the generic message the page rendered.
  const generic = error.textContent;
  audio.addEventListener("error", () => {
    error.textContent = generic;
    error.hidden = false;
    const src = audio.currentSrc || audio.src;
    if (!src) return;
    fetch(src, { credentials: "same-origin", headers: { Range: "bytes=0-0" } })
      .then(r => (!r.ok && (r.headers.get("content-type") || "").includes("problem+json") ? r.json() : null))
      .then(problem => { if (problem && problem.detail && (audio.currentSrc || audio.src) === src) error.textContent = problem.detail; })
      .catch(() => { });
  });
  document.addEventListener("keydown", onKey);

  return {
    load(audioUrl, waveformUrl, seconds, autoPlay) {
      error.hidden = true;
      duration = seconds;
      waveform = null;
      findCanvases();
      seek.max = Math.max(1, seconds);
      seek.value = 0;
      total.textContent = format(seconds, true);
      audio.src = audioUrl;
      for (const button of [play, $("back"), $("forward")]) button.disabled = false;
      audio.playbackRate = Number(speed.value);
      if (autoPlay) audio.play().catch(() => { });
      update();
      if (!waveformUrl) { waveRequest = null; draw(); return; }
      const request = waveRequest = fetch(waveformUrl, { credentials: "same-origin" })
        .then(r => (r.ok ? r.json() : null))
        .then(w => { if (w && request === waveRequest) { waveform = w; draw(); } })
        .catch(() => { });
    },
    position() { return audio.currentTime || 0; },
    seek(seconds) { audio.currentTime = Math.max(0, Math.min(length() || seconds, seconds)); update(); },
    dispose() {
      document.removeEventListener("keydown", onKey);
      resize.disconnect();
      audio.pause();
      audio.removeAttribute("src");
      audio.load();
    },
  };
}
