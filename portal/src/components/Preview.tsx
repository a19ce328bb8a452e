import { useEffect, useRef, useState } from "react";

/** An overlay page at its real OBS size (1920 wide), scaled down to fit the card. */
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
      <iframe
        title={title}
        src={url}
        width={1920}
        height={height}
        style={{ transform: `scale(${scale})`, transformOrigin: "0 0", border: 0 }}
      />
    </div>
  );
}
