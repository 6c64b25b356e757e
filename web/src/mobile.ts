// The mobile app's devices as the web client shows them (/api/mobile/devices/).
import { api } from './api';

export interface MobileDevice {
  id: string;
  device_id: string;
  name: string;
  platform: 'ios' | 'android' | 'web';
  model: string;
  os_version: string;
  app_version: string;
  has_push_token: boolean;
  push_enabled: boolean;
  disabled: boolean;
  created_at: string;
  last_active: string;
}

export async function listMobileDevices(): Promise<MobileDevice[]> {
  return (await api<{ results: MobileDevice[] }>('/api/mobile/devices/')).results;
}

export const updateMobileDevice = (id: string, body: Partial<Pick<MobileDevice, 'name' | 'disabled' | 'push_enabled'>>) =>
  api<MobileDevice>(`/api/mobile/devices/${id}/`, { method: 'PATCH', body });

export const removeMobileDevice = (id: string) => api(`/api/mobile/devices/${id}/`, { method: 'DELETE' });
