/** A short, quiet two-note tone for a new message (no audio file to load). */
export function playTone() {
  try {
    const audio = new AudioContext();
    const gain = audio.createGain();
    gain.gain.value = 0.05;
    gain.connect(audio.destination);
    [660, 880].forEach((frequency, i) => {
      const oscillator = audio.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(audio.currentTime + i * 0.12);
      oscillator.stop(audio.currentTime + i * 0.12 + 0.1);
    });
    setTimeout(() => void audio.close(), 500);
  } catch {
    // no audio: the notification is enough
  }
}
