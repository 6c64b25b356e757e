// Attaches a source to a <video>: HLS through hls.js wherever Media Source Extensions
// exist (Chromium, Firefox, desktop Safari), so every browser plays and seeks it the same
// way: Debian's Chromium 156 answers "maybe" to canPlayType for HLS, yet goes through
// hls.js here. Native HLS only without MSE (Safari on older iPhones); MP4/WebM directly.
// hls.js is loaded on demand, so pages without HLS do not pay for it.

export interface Source {
  url: string;
  hls: boolean;
}

export interface Attached {
  detach(): void;
  kind: 'native-hls' | 'hls.js' | 'file';
}

export function isHlsUrl(url: string): boolean {
  return /\.m3u8(\?|$)/i.test(url);
}

export async function attachSource(video: HTMLVideoElement, src: Source): Promise<Attached> {
  if (!src.hls) {
    video.src = src.url;
    return { kind: 'file', detach: () => { video.removeAttribute('src'); video.load(); } };
  }
  const { default: Hls } = await import('hls.js');
  if (Hls.isSupported()) {
    const hls = new Hls({ enableWorker: true, lowLatencyMode: false, startPosition: -1, maxBufferLength: 30 });
    hls.loadSource(src.url);
    hls.attachMedia(video);
    hls.on(Hls.Events.ERROR, (_e, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
      else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      else hls.destroy();
    });
    return { kind: 'hls.js', detach: () => hls.destroy() };
  }
  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = src.url;
    return { kind: 'native-hls', detach: () => { video.removeAttribute('src'); video.load(); } };
  }
  throw new Error('This browser cannot play HLS');
}

/** The best source for a video object of the API (processed HLS, else the original). */
export function videoSource(v: any): Source | null {
  if (v.hls_url) return { url: v.hls_url, hls: true };
  if (v.status === 'ready' && v.stream_url) return { url: v.stream_url, hls: isHlsUrl(v.stream_url) };
  if (v.external_url) return { url: v.external_url, hls: isHlsUrl(v.external_url) };
  return null;
}
