import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Sharp } from 'sharp';

type SharpModule = typeof import('sharp').default;

/** sharp, loaded on first use (Node keeps the module once loaded): its native library takes a noticeable part of start-up, and a build whose photos are all cached never needs it. */
function loadSharp(): Promise<SharpModule> {
  return import('sharp').then((m) => m.default);
}

/** Sets how many libvips threads each image's work runs on, for the whole process (libvips' own setting). */
export async function setThreadsPerImage(threads: number): Promise<void> {
  (await loadSharp()).concurrency(threads);
}

/** sharp's version, read from its package.json (which it does not export) without loading sharp itself. */
function installedSharpVersion(): string {
  const entry = createRequire(import.meta.url).resolve('sharp');
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}sharp${path.sep}`) + `${path.sep}sharp`.length);
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

const sharpVersion = installedSharpVersion();

/** What Recap needs to know of a raster image before encoding it. */
export interface ImageInfo {
  /** Width and height as displayed (orientation applied). */
  width: number;
  height: number;
  format: string;
  hasAlpha: boolean;
  /** More than one frame: an animation. */
  animated: boolean;
}

/** Output formats of responsive variants. */
export type VariantFormat = 'avif' | 'webp' | 'jpeg' | 'png';

/** One output image: a width (never wider than the source), a format, and an optional crop. */
export interface VariantSpec {
  width: number;
  format: VariantFormat;
  /** Cover-crop to exactly this height (Open Graph images). */
  cropHeight?: number;
  /** A crop cut from the photo resized to this width (which covers it) instead of from the photo as decoded. */
  cropFrom?: number;
}

/** Refuse images above this many pixels: a small file can decompress to gigabytes. */
export const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Encoder settings, chosen on measurements (README, "Image encoding"): AVIF at effort 2 costs an
 * eighth of the default effort 4 for about the same bytes, WebP at effort 2 half of the default.
 */
const ENCODERS: Record<VariantFormat, (image: Sharp) => Sharp> = {
  avif: (image) => image.avif({ quality: 48, effort: 2 }),
  webp: (image) => image.webp({ quality: 75, effort: 2 }),
  jpeg: (image) => image.jpeg({ quality: 78, progressive: true }),
  png: (image) => image.png({ compressionLevel: 9, adaptiveFiltering: true }),
};

/** Everything that changes encoded bytes besides the source and the spec: part of every cache key. */
export const ENCODER_FINGERPRINT = `sharp ${sharpVersion} avif q48e2 webp q75e2 jpeg q78p png c9 srgb`;

/** A readable reason an image could not be read or encoded. */
export class ImageError extends Error {}

async function open(bytes: Buffer): Promise<Sharp> {
  const sharp = await loadSharp();
  return sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' });
}

function explain(err: unknown): ImageError {
  const message = (err as Error).message ?? String(err);
  if (/pixel limit/i.test(message)) return new ImageError(`larger than ${MAX_INPUT_PIXELS / 1e6} megapixels`);
  if (/unsupported image format/i.test(message)) return new ImageError('not an image sharp can read');
  return new ImageError(message.replace(/^Input buffer /, '').split('\n')[0]!);
}

/** Reads an image's size and kind from its header. */
export async function readImageInfo(bytes: Buffer): Promise<ImageInfo> {
  try {
    const meta = await (await open(bytes)).metadata();
    if (!meta.width || !meta.height || !meta.format) throw new ImageError('not an image sharp can read');
    const oriented = meta.autoOrient ?? { width: meta.width, height: meta.height };
    return { width: oriented.width, height: oriented.height, format: meta.format, hasAlpha: meta.hasAlpha ?? false, animated: (meta.pages ?? 1) > 1 };
  } catch (err) {
    throw err instanceof ImageError ? err : explain(err);
  }
}

/**
 * Throws an ImageError when a photo whose header reads cannot be decoded to its end (truncated,
 * corrupt): decoded small, which a JPEG does at an eighth of the cost, reading every byte still.
 */
export async function checkDecodes(bytes: Buffer): Promise<void> {
  try {
    await (await open(bytes)).resize({ width: 64, height: 64, fit: 'inside' }).raw().toBuffer();
  } catch (err) {
    throw explain(err);
  }
}

/** A photo decoded once to upright sRGB pixels, so each of its variants skips decoding it again. */
export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Decodes a photo: orientation applied, converted to sRGB; pixels only, so no metadata can follow. */
export async function decodeImage(bytes: Buffer): Promise<DecodedImage> {
  try {
    const { data, info } = await (await open(bytes)).rotate().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (err) {
    throw explain(err);
  }
}

/** Pixels as sharp reads them. */
async function fromPixels(decoded: DecodedImage): Promise<Sharp> {
  const sharp = await loadSharp();
  return sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: decoded.channels } });
}

/**
 * A decoded photo resized to a width (never enlarged): done once per width, it serves every format
 * at that width, with the very pixels a resize in each format's own pipeline would make.
 */
export async function resizeImage(decoded: DecodedImage, width: number): Promise<DecodedImage> {
  if (decoded.width <= width) return decoded;
  try {
    const { data, info } = await (await fromPixels(decoded)).resize({ width }).raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (err) {
    throw explain(err);
  }
}

/**
 * The part of a photo a cover crop to width × height is cut from where scaling the whole photo to
 * cover the crop would make more than MAX_INPUT_PIXELS (a photo 1 pixel wide and 16,000 tall,
 * scaled to 1200 × 19,200,000, kept a build busy for minutes): its middle, in the crop's
 * proportions. Undefined for every other photo, which the crop's own `attention` places.
 */
function coverRegion(decoded: DecodedImage, width: number, height: number): { left: number; top: number; width: number; height: number } | undefined {
  const scale = Math.max(width / decoded.width, height / decoded.height);
  if (decoded.width * scale * decoded.height * scale <= MAX_INPUT_PIXELS) return undefined;
  const regionWidth = Math.max(1, Math.min(decoded.width, Math.round((decoded.height * width) / height)));
  const regionHeight = Math.max(1, Math.min(decoded.height, Math.round((decoded.width * height) / width)));
  return { left: Math.floor((decoded.width - regionWidth) / 2), top: Math.floor((decoded.height - regionHeight) / 2), width: regionWidth, height: regionHeight };
}

/**
 * Encodes one variant of a decoded photo: resized (never enlarged; nothing to do when the pixels
 * already have its width) or cover-cropped, written without any metadata — no EXIF, GPS, camera
 * serial or author survives.
 */
export async function encodeVariant(decoded: DecodedImage, spec: VariantSpec): Promise<Buffer> {
  try {
    let image = await fromPixels(decoded);
    if (spec.cropHeight) {
      const region = coverRegion(decoded, spec.width, spec.cropHeight);
      image = (region ? image.extract(region) : image).resize({ width: spec.width, height: spec.cropHeight, fit: 'cover', position: 'attention' });
    } else if (decoded.width > spec.width) {
      image = image.resize({ width: spec.width });
    }
    return await ENCODERS[spec.format](image).toBuffer();
  } catch (err) {
    throw explain(err);
  }
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A layer of a social card as raw pixels, put on the card as they are (no PNG made and read back). */
interface TextLayer {
  input: Buffer;
  raw: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

/** One line or block of text on a social card, or undefined when it has nothing to draw (a title of invisible characters). */
async function textLayer(sharp: SharpModule, markup: string, font: string, width: number, height?: number): Promise<TextLayer | undefined> {
  try {
    // A warning while drawing (Fontconfig's, as a fresh machine's font cache is made) is no reason to fail a card: only an error is.
    const { data, info } = await sharp({ text: { text: markup, font, width, ...(height ? { height } : {}), rgba: true, wrap: 'word' }, failOn: 'none' }).raw().toBuffer({ resolveWithObject: true });
    return { input: data, raw: { width: info.width, height: info.height, channels: info.channels } };
  } catch (err) {
    if (/no text to render/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

/**
 * The site name's layer of a social card: in 32-point type, or made to fit its box where that
 * is wider or taller than the box (a name of one long word, or of many lines, which made the card
 * an internal error), or left out where even that does not fit.
 */
async function siteLayer(sharp: SharpModule, markup: string, width: number, height: number): Promise<TextLayer | undefined> {
  const fits = (layer: TextLayer | undefined) => layer === undefined || (layer.raw.width <= width && layer.raw.height <= height);
  const plain = await textLayer(sharp, markup, 'sans-serif 32', width);
  if (fits(plain)) return plain;
  const fitted = await textLayer(sharp, markup, 'sans-serif 32', width, height);
  return fits(fitted) ? fitted : undefined;
}

/** A social card's background colour. */
const CARD_BACKGROUND = '#1d2a38';

/**
 * A horizontal band of a social card as raw RGB: the background, with a layer's text on it at
 * (left, top) where it has one (a layer larger than its place, which fitting never leaves, is cut to it).
 */
async function cardBand(sharp: SharpModule, layer: TextLayer | undefined, width: number, height: number, left: number, top: number): Promise<Buffer> {
  if (!layer) return sharp({ create: { width, height, channels: 3, background: CARD_BACKGROUND } }).raw().toBuffer();
  const shown = { width: Math.min(layer.raw.width, width - left), height: Math.min(layer.raw.height, height - top) };
  return sharp(layer.input, { raw: layer.raw })
    .extract({ left: 0, top: 0, ...shown })
    .flatten({ background: CARD_BACKGROUND })
    .extend({ top, left, right: width - left - shown.width, bottom: height - top - shown.height, background: CARD_BACKGROUND })
    .raw()
    .toBuffer();
}

/**
 * A social card for a post without a photo: the site name and the post title on a plain
 * background. The card is two bands, the name's above the title's, each its text flattened onto
 * the background: the same pixels as laying both texts over the whole card, in half the time
 * (libvips' composite blended every pixel of the card in floating point: ~16 of a card's ~38 ms of CPU).
 */
export async function renderCard(siteTitle: string, postTitle: string, width: number, height: number): Promise<Buffer> {
  const sharp = await loadSharp();
  const margin = Math.round(width * 0.06);
  const titleTop = Math.round(height * 0.3);
  const [title, site] = await Promise.all([
    textLayer(sharp, `<span foreground="#ffffff">${escapeMarkup(postTitle)}</span>`, 'sans-serif bold 56', width - 2 * margin, Math.round(height * 0.6)),
    siteLayer(sharp, `<span foreground="#9ec5ff">${escapeMarkup(siteTitle)}</span>`, width - 2 * margin, titleTop - margin),
  ]);
  const bands = await Promise.all([cardBand(sharp, site, width, titleTop, margin, margin), cardBand(sharp, title, width, height - titleTop, margin, 0)]);
  return sharp(Buffer.concat(bands), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}
