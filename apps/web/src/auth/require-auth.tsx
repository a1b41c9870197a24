import { type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useToken } from './use-session';

/** Screens behind sign-in: without a token, go to the sign-in page and come back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useToken();
  const location = useLocation();
  if (!token) {
    return <Navigate to="/dang-nhap" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return children;
}
