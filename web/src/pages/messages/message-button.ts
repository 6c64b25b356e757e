// "Message": opens (or creates) the direct conversation with a user and goes to it.
import { navigate } from '../../nav';
import { actionButton } from '../friends';
import { openDirect } from '../../messaging/api';

export function messageButton(u: { id: string; username: string }, cls = 'small primary') {
  return actionButton('Message', `Message ${u.username}`, async () => {
    const c = await openDirect(u.id);
    navigate(`/messages/${c.id}`);
  }, `${cls} message-user`);
}
