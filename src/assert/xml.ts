// The few characters XML gives meaning to, escaped for text and attribute values; characters XML 1.0
// cannot carry at all (most control characters) are dropped, so a report always parses.

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Allowed: tab, newline, carriage return, and everything from U+0020 but the surrogates' halves
// standing alone and U+FFFE/U+FFFF.
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(forbidden, '').replace(/[&<>"']/g, (character) => entities[character]!);
}

// In an attribute a newline would be normalised to a space by any parser: keep it, as a reference.
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
