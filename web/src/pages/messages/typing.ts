// "ann is typing…" under a thread: each `typing` event of another member shows their
// name for a few seconds (the server relays at most one every 3 s while they type); their
// message arriving ends it at once.
import { h } from '../../ui';
import { me } from '../../api';
import { on } from '../../user-socket';

const SHOWN_MS = 5000;

export function typingLine(conversationId: string) {
  const el = h('p', { class: 'typing muted small', id: 'typing', 'aria-live': 'polite' });
  const who = new Map<string, { name: string; timer: number }>();

  function draw() {
    const names = [...who.values()].map((w) => w.name);
    el.textContent = names.length === 0 ? ''
      : names.length === 1 ? `${names[0]} is typing…`
        : names.length === 2 ? `${names[0]} and ${names[1]} are typing…`
          : 'Several people are typing…';
  }

  function stopped(userId: string) {
    const w = who.get(userId);
    if (!w) return;
    clearTimeout(w.timer);
    who.delete(userId);
    draw();
  }

  const off = on('typing', (d) => {
    if (d?.conversation_id !== conversationId || d.user_id === me()?.id) return;
    clearTimeout(who.get(d.user_id)?.timer);
    who.set(d.user_id, { name: d.username, timer: window.setTimeout(() => stopped(d.user_id), SHOWN_MS) });
    draw();
  });

  return {
    el,
    stopped,
    cleanup() {
      off();
      for (const w of who.values()) clearTimeout(w.timer);
    },
  };
}
