import sharp from 'sharp';
/** A small deterministic pseudo-random generator, so generated photos are the same on every machine. */
function random(seed) {
    let state = seed >>> 0 || 1;
    return () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 4294967296;
    };
}
/**
 * Paints a photo-like scene (a lit stage, a wall, a crowd of heads, sensor noise) as raw RGB,
 * so tests and benchmarks get real-sized, realistically compressible JPEGs without shipping photos.
 */
export function paintCrowd(width, height, seed) {
    const rand = random(seed);
    const pixels = Buffer.alloc(width * height * 3);
    const hue = rand();
    const wall = [90 + hue * 80, 70 + rand() * 60, 110 - hue * 50];
    for (let y = 0; y < height; y++) {
        const shade = 0.55 + 0.45 * (1 - y / height);
        for (let x = 0; x < width; x++) {
            const glow = Math.max(0, 1 - Math.hypot(x - width * 0.5, y - height * 0.2) / (width * 0.45));
            const i = (y * width + x) * 3;
            for (let c = 0; c < 3; c++)
                pixels[i + c] = Math.min(255, wall[c] * shade + glow * 120 + (rand() - 0.5) * 18);
        }
    }
    const heads = 40 + Math.floor(rand() * 30);
    for (let h = 0; h < heads; h++) {
        const row = rand();
        const cy = height * (0.5 + row * 0.45);
        const r = width * (0.018 + row * 0.03);
        const cx = rand() * width;
        const skin = [150 + rand() * 90, 100 + rand() * 70, 70 + rand() * 60];
        const shirt = [rand() * 255, rand() * 255, rand() * 255];
        for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r * 4); y++) {
            for (let x = Math.max(0, Math.floor(cx - r * 2)); x < Math.min(width, cx + r * 2); x++) {
                const inHead = Math.hypot(x - cx, (y - cy) * 0.85) < r;
                const inBody = y > cy + r * 0.8 && Math.abs(x - cx) < r * 1.8 * Math.min(1, (y - cy) / (r * 2));
                if (!inHead && !inBody)
                    continue;
                const colour = inHead ? skin : shirt;
                const i = (y * width + x) * 3;
                for (let c = 0; c < 3; c++)
                    pixels[i + c] = Math.min(255, Math.max(0, colour[c] + (rand() - 0.5) * 24));
            }
        }
    }
    return pixels;
}
/** A generated JPEG photo of the given size. */
export function makePhoto(width, height, seed) {
    return sharp(paintCrowd(width, height, seed), { raw: { width, height, channels: 3 } }).jpeg({ quality: 82, mozjpeg: true }).toBuffer();
}
