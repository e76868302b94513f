import { Parser } from 'htmlparser2';
import { nestingBounded } from '../policy/html-nesting.js';
import { checkUrl } from '../policy/url-policy.js';

/** Elements that run code or pull in a document of their own when an HTML page or an SVG is opened. */
const ACTIVE_ELEMENTS = new Set(['script', 'iframe', 'frame', 'embed', 'object', 'handler', 'listener']);

/** Attributes that hold an address a browser follows or animates to (`<a href>`, `<animate values>`). */
const ADDRESS_ATTRIBUTES = /^(?:(?:xlink:)?href|src|action|formaction|data|values|to|from|by)$/i;

/** An embedded picture (`data:image/png;base64,...`), the one `data:` address an SVG needs. */
const PICTURE_DATA = /^[\s\u0000-\u001f]*data:image\/(?:png|jpe?g|gif|webp|avif)[;,]/i;

/**
 * What in a copied HTML page or SVG would run on the site's origin when a visitor opens it: inline
 * and loaded scripts, frames and embeds, event handlers (`onload=`), script addresses
 * (`javascript:` in a link or an animation), entity declarations (which can hide markup from a
 * reader) and XSLT stylesheets. One line each, in the order found, each named once.
 */
export function activeContentOf(text: string, xml: boolean): { found: string[]; tooDeep: boolean } {
  const found = new Set<string>();
  let tooDeep = false;
  if (/<!ENTITY/i.test(text)) found.add('an entity declaration (it can hide markup)');
  if (/<\?xml-stylesheet/i.test(text)) found.add('an XSLT stylesheet');
  const parser: Parser = new Parser(nestingBounded({
    onopentag(name, attributes) {
      const element = name.toLowerCase();
      if (element === 'script') found.add(attributes['src'] === undefined && attributes['xlink:href'] === undefined ? 'an inline script' : `a script from ${attributes['src'] ?? attributes['xlink:href']}`);
      else if (ACTIVE_ELEMENTS.has(element)) found.add(`a <${element}>`);
      for (const [key, value] of Object.entries(attributes)) {
        if (/^on/i.test(key)) found.add(`an event handler (${key.toLowerCase()}=)`);
        else if (ADDRESS_ATTRIBUTES.test(key) && !PICTURE_DATA.test(value)) {
          for (const part of key.toLowerCase() === 'values' ? value.split(';') : [value]) {
            const verdict = checkUrl(part.trim());
            if (!verdict.ok) found.add(`a ${/^"([^"]+)"/.exec(verdict.reason)?.[1] ?? 'disguised'} address in ${key}=`);
          }
        }
      }
    },
  }, () => parser, () => { tooDeep = true; }), { xmlMode: xml, decodeEntities: true, recognizeSelfClosing: true });
  parser.end(text);
  return { found: [...found], tooDeep };
}
