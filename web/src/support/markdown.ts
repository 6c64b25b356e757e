// A small Markdown renderer that builds DOM nodes and never parses HTML: every piece of
// text becomes a text node, so "<script>" in an answer shows as those characters. It knows
// headings, paragraphs, lists, fenced code, **bold**, *italic*, `code` and [links](url);
// a link only keeps an http(s) address or a path of this site.

type Inline = Node | string;

/** An address a link may point to; anything else (javascript:, data:, //host) is dropped. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^https?:\/\//i.test(u)) return u;
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  if (u.startsWith('#')) return u;
  return null;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

function inline(text: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) { out.push(rest); break; }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const tok = m[0];
    if (m[1]) {
      const c = document.createElement('code');
      c.textContent = tok.slice(1, -1);
      out.push(c);
    } else if (m[2]) {
      const b = document.createElement('strong');
      b.append(...inline(tok.slice(2, -2)));
      out.push(b);
    } else if (m[3]) {
      const i = document.createElement('em');
      i.append(...inline(tok.slice(1, -1)));
      out.push(i);
    } else {
      const close = tok.indexOf('](');
      const label = tok.slice(1, close);
      const href = safeHref(tok.slice(close + 2, -1));
      if (href) {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = label;
        if (/^https?:/i.test(href)) { a.rel = 'noopener noreferrer nofollow'; a.target = '_blank'; }
        out.push(a);
      } else {
        out.push(label);
      }
    }
    rest = rest.slice(m.index + tok.length);
  }
  return out;
}

function el(tag: string, children: Inline[]): HTMLElement {
  const e = document.createElement(tag);
  e.append(...children);
  return e;
}

/** The Markdown text as a fragment of safe elements. */
export function renderMarkdown(source: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: HTMLElement | null = null;
  const flushPara = () => {
    if (para.length) frag.append(el('p', inline(para.join(' '))));
    para = [];
  };
  const endList = () => { list = null; };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      flushPara(); endList();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) code.push(lines[i]);
      const pre = document.createElement('pre');
      const c = document.createElement('code');
      c.textContent = code.join('\n');
      pre.append(c);
      frag.append(pre);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (heading) {
      flushPara(); endList();
      // Page headings stay the page's: an answer's headings start at h3.
      frag.append(el(`h${Math.min(6, heading[1].length + 2)}`, inline(heading[2])));
    } else if (bullet || numbered) {
      flushPara();
      const tag = bullet ? 'UL' : 'OL';
      if (!list || list.tagName !== tag) { list = document.createElement(tag.toLowerCase()); frag.append(list); }
      list.append(el('li', inline((bullet || numbered)![1])));
    } else if (!line.trim()) {
      flushPara(); endList();
    } else {
      endList();
      para.push(line.trim());
    }
  }
  flushPara();
  return frag;
}
