// The social graph's and the groups' API (docs/api.md, "Social graph" and "Groups").
// Pages call these, never the paths.
import { api } from './api';

/** A user in the social lists: `{id, username}` and the list's own field. */
export interface SocialUser {
  id: string;
  username: string;
  online?: boolean;
  mutual_count?: number;
  requested_at?: string;
  friends_since?: string;
  blocked_at?: string;
}

/** Where I stand with another user (GET /api/social/users/{id}/). */
export interface Standing {
  friendship: 'pending' | 'accepted' | null;
  requested_by_me: boolean;
  following: 'active' | 'pending' | null;
  followed_by: 'active' | 'pending' | null;
  blocking: boolean;
}

const S = '/api/social';
const post = (path: string, body?: unknown) => api<any>(path, { method: 'POST', body });
const del = (path: string) => api<any>(path, { method: 'DELETE' });

export const standing = (id: string) => api<Standing>(`${S}/users/${id}/`);
export const askFriend = (user_id: string) => post(`${S}/friend-requests/`, { user_id }) as Promise<{ status: string }>;
export const acceptFriend = (id: string) => post(`${S}/friend-requests/${id}/accept/`);
export const declineFriend = (id: string) => post(`${S}/friend-requests/${id}/decline/`);
export const cancelFriend = (id: string) => del(`${S}/friend-requests/${id}/`);
export const unfriend = (id: string) => del(`${S}/friends/${id}/`);
export const follow = (user_id: string) => post(`${S}/follows/`, { user_id });
export const unfollow = (id: string) => del(`${S}/follows/${id}/`);
export const approveFollower = (id: string) => post(`${S}/followers/${id}/approve/`);
export const rejectFollower = (id: string) => post(`${S}/followers/${id}/reject/`);
/** The follow requests waiting for my answer (my private profile). */
export const followRequestsOf = (myId: string) => `${S}/users/${myId}/followers/`;
export const block = (user_id: string) => post(`${S}/blocks/`, { user_id });
export const unblock = (id: string) => del(`${S}/blocks/${id}/`);

export const SOCIAL_LISTS = {
  friends: `${S}/friends/`,
  requests: `${S}/friend-requests/`,
  suggestions: `${S}/suggestions/`,
  blocks: `${S}/blocks/`,
};

export type Role = 'admin' | 'moderator' | 'member';
export type Permission = 'invite' | 'approve' | 'kick' | 'host_parties';

export interface Group {
  id: string;
  name: string;
  description: string;
  category: string;
  is_private: boolean;
  member_count: number;
  avatar: string | null;
  settings: Record<string, unknown>;
  membership?: { role: Role; status: 'active' | 'pending' | 'invited' | 'banned'; since: string; permissions: Record<Permission, boolean> } | null;
}

export interface Membership {
  user: { id: string; username: string };
  role: Role;
  status: string;
  since: string;
}

const G = '/api/groups';
export const getGroup = (id: string) => api<Group>(`${G}/${id}/`);
export interface GroupInput { name: string; description: string; category: string; is_private: boolean }
export const createGroup = (body: GroupInput) =>
  api<Group>(`${G}/`, { method: 'POST', body });
export const patchGroup = (id: string, body: Partial<GroupInput>) =>
  api<Group>(`${G}/${id}/`, { method: 'PATCH', body });
/** 200 active, or 202 pending for a private group: the membership either way. */
export const joinGroup = (id: string) => post(`${G}/${id}/join/`) as Promise<{ status: string }>;
export const leaveGroup = (id: string) => post(`${G}/${id}/leave/`);
export const inviteToGroup = (id: string, user_id: string) => post(`${G}/${id}/invite/`, { user_id });
export const answerGroupInvitation = (id: string, accept: boolean) => post(`${G}/${id}/invitation/${accept ? 'accept' : 'decline'}/`);
export const decideRequest = (id: string, userId: string, approve: boolean) => post(`${G}/${id}/requests/${userId}/${approve ? 'approve' : 'reject'}/`);
export type MemberAction = 'promote' | 'demote' | 'kick' | 'ban';
export const moderate = (id: string, userId: string, action: MemberAction) => post(`${G}/${id}/members/${userId}/${action}/`);
