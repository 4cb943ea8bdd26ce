// Draws Keyhole's icons (a keyhole on a rounded square) as PNG files in public/icons/, with no
// image library: a coverage test per pixel, 4×4 supersampled, written with node:zlib.
// Run `node scripts/make-icons.mjs` after changing the drawing; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BG = [0x1f, 0x3a, 0x5f];
const FG = [0xf4, 0xf1, 0xe8];

/** Whether (x, y) in unit coordinates [0,1]² is inside the keyhole. */
function keyhole(x, y) {
  const cx = 0.5;
  const cy = 0.4;
  const r = 0.14;
  if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
  // The slot: a trapezoid from the circle down, wider at the bottom.
  if (y >= cy && y <= 0.74) {
    const t = (y - cy) / (0.74 - cy);
    const half = 0.06 + t * 0.05;
    return Math.abs(x - cx) <= half;
  }
  return false;
}

/** Whether (x, y) is inside the rounded square (full bleed for maskable icons). */
function square(x, y, radius) {
  const dx = Math.max(radius - x, 0, x - (1 - radius));
  const dy = Math.max(radius - y, 0, y - (1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

function png(size, { radius, scale }) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const S = 4;
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0;
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          if (!square(x, y, radius)) continue;
          // Maskable icons keep the drawing inside the safe zone (the inner 80 %).
          if (keyhole(0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale)) fg++;
          else bg++;
        }
      }
      const n = S * S;
      const alpha = (bg + fg) / n;
      const mix = bg + fg ? fg / (bg + fg) : 0;
      const o = py * (size * 4 + 1) + 1 + px * 4;
      for (let c = 0; c < 3; c++) raw[o + c] = Math.round(BG[c] * (1 - mix) + FG[c] * mix);
      raw[o + 3] = Math.round(alpha * 255);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const out = new URL('../public/icons/', import.meta.url);
for (const size of [192, 512]) {
  writeFileSync(new URL(`keyhole-${size}.png`, out), png(size, { radius: 0.22, scale: 1 }));
  writeFileSync(new URL(`keyhole-maskable-${size}.png`, out), png(size, { radius: 0, scale: 0.8 }));
}
writeFileSync(new URL('keyhole-180.png', out), png(180, { radius: 0, scale: 0.9 }));
writeFileSync(new URL('favicon-32.png', out), png(32, { radius: 0.22, scale: 1 }));
console.log('icons written to public/icons/');
