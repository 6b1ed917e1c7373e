import { ApiError, api } from '../common/api.ts';
import type { StaffSession } from './session.ts';

export interface StaffPageProps {
  session: StaffSession;
  /** A 401: the token expired or was refused; the workspace asks to sign in again, on the same page. */
  onUnauthorized: () => void;
}

export function staffApi({ session, onUnauthorized }: StaffPageProps) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    try {
      return await api<T>(method, path, { bearer: session.token, ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onUnauthorized();
      throw error;
    }
  };
}
