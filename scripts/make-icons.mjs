// Draws the Vitals icon (a pulse line on a rounded square) at every size the PWA and the extension need.
// Run once when the design changes: `node scripts/make-icons.mjs`; the PNGs are committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const png = (size, rgba) => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
};

// Pulse polyline in unit coordinates.
const pulse = [
  [0.16, 0.55],
  [0.36, 0.55],
  [0.44, 0.34],
  [0.54, 0.74],
  [0.62, 0.48],
  [0.68, 0.55],
  [0.84, 0.55],
];
const segDist = (px, py, [ax, ay], [bx, by]) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};

/** maskable: full-bleed background (the platform crops it), content inside the 80% safe zone. */
const draw = (size, { maskable = false } = {}) => {
  const out = Buffer.alloc(size * size * 4);
  const ss = 4; // supersampling for smooth edges
  const radius = maskable ? 0 : 0.22;
  const scale = maskable ? 0.7 : 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size;
          const v = (y + (sy + 0.5) / ss) / size;
          const cx = Math.max(radius - u, 0, u - (1 - radius));
          const cy = Math.max(radius - v, 0, v - (1 - radius));
          const inside = radius === 0 || Math.hypot(cx, cy) <= radius;
          if (!inside) continue;
          bg++;
          const pu = (u - 0.5) / scale + 0.5;
          const pv = (v - 0.5) / scale + 0.5;
          let d = Infinity;
          for (let i = 1; i < pulse.length; i++) d = Math.min(d, segDist(pu, pv, pulse[i - 1], pulse[i]));
          if (d <= 0.045) fg++;
        }
      }
      const n = ss * ss;
      const a = bg / n;
      const f = bg ? fg / bg : 0;
      const i = (y * size + x) * 4;
      // background #0f766e (teal 700), line white
      out[i] = Math.round(15 + (255 - 15) * f);
      out[i + 1] = Math.round(118 + (255 - 118) * f);
      out[i + 2] = Math.round(110 + (255 - 110) * f);
      out[i + 3] = Math.round(255 * a);
    }
  }
  return png(size, out);
};

mkdirSync("pwa/public/icons", { recursive: true });
mkdirSync("extension/public/icon", { recursive: true });
for (const s of [192, 512]) writeFileSync(`pwa/public/icons/icon-${s}.png`, draw(s));
writeFileSync("pwa/public/icons/maskable-512.png", draw(512, { maskable: true }));
writeFileSync("pwa/public/icons/apple-touch-icon.png", draw(180, { maskable: true }));
writeFileSync("pwa/public/favicon.png", draw(32));
for (const s of [16, 32, 48, 128]) writeFileSync(`extension/public/icon/${s}.png`, draw(s));
console.log("icons written");
