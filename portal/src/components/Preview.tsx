import { useEffect, useRef, useState } from "react";

/** An overlay page at its real OBS size (1920 wide), scaled down to fit the card, in a sandbox. */
export function Preview({ url, title, height }: { url: string; title: string; height: number }) {
  const box = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(0.15);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setScale(el.clientWidth / 1920));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className="preview" style={{ height: height * scale }}>
      {/* Sandboxed: the overlay page may run its own script (and open its WebSocket), but in an
          opaque origin, so it can never reach the portal's cookies, storage or DOM. */}
      <iframe
        title={title}
        src={url}
        sandbox="allow-scripts"
        referrerPolicy="no-referrer"
        width={1920}
        height={height}
        style={{ transform: `scale(${scale})`, transformOrigin: "0 0", border: 0 }}
      />
    </div>
  );
}
