// Store cosmetics (#18) in the pages: an equipped theme recolours the owner's profile
// (profile_theme) or, for everyone in it, the host's party (party_theme); owned emoji
// packs add their emoji to the reaction picker. The server refuses a pack's emoji
// from anyone who does not own the pack.
import { api } from './api';
import { h } from './ui';

type Colour = 'background' | 'surface' | 'text' | 'accent';
export interface Theme { item_id: string; name: string; properties: Partial<Record<Colour, string>> }
export interface Cosmetics { user_id: string; profile_theme: Theme | null; party_theme: Theme | null }
interface EmojiPack { item_id: string; name: string; emoji: string[] }

// The page's colour variables (style.css :root) each theme colour sets.
const VARS: Record<Colour, string[]> = {
  background: ['--bg'],
  surface: ['--panel', '--panel2'],
  text: ['--text'],
  accent: ['--accent', '--accent2'],
};
const HEX = /^#[0-9a-fA-F]{6}$/;

// A user's equipped themes; null when they cannot be read (the page looks as it always does).
export async function cosmeticsOf(userId: string): Promise<Cosmetics | null> {
  try {
    return await api<Cosmetics>(`/api/store/users/${userId}/cosmetics/`);
  } catch {
    return null;
  }
}

// Sets the theme's colours on el (and everything in it) and names it in data-theme.
export function applyTheme(el: HTMLElement, theme: Theme | null) {
  if (!theme) return;
  for (const [colour, vars] of Object.entries(VARS) as [Colour, string[]][]) {
    const value = theme.properties?.[colour];
    if (value && HEX.test(value)) for (const v of vars) el.style.setProperty(v, value);
  }
  el.classList.add('themed');
  el.dataset.theme = theme.name;
  el.dataset.themeId = theme.item_id;
}

// The emoji of the packs I own, each once.
export async function myPackEmoji(): Promise<string[]> {
  try {
    const { packs } = await api<{ packs: EmojiPack[] }>('/api/store/emoji/');
    return [...new Set(packs.flatMap((p) => p.emoji))];
  } catch {
    return [];
  }
}

// What an item carries, shown beside it in the store: a theme's colour swatches, a pack's emoji.
export function cosmeticPreview(kind: string, properties: Record<string, unknown> | undefined): HTMLElement | null {
  if (!properties) return null;
  if (kind === 'emoji_pack' && Array.isArray(properties.emoji))
    return h('span', { class: 'pack-preview small' }, ` · ${(properties.emoji as string[]).join(' ')}`);
  if (kind !== 'profile_theme' && kind !== 'party_theme') return null;
  const colours = (Object.keys(VARS) as Colour[]).map((c) => properties[c]).filter((v): v is string => typeof v === 'string' && HEX.test(v));
  if (!colours.length) return null;
  return h('span', { class: 'theme-preview', title: `Colours: ${colours.join(', ')}` },
    ...colours.map((c) => h('span', { class: 'swatch', style: { background: c } })));
}
