import { BellOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { fetchNotifications, keys } from '../api/queries';
import { useFallbackPolling } from '../api/use-live-updates';
import { formatNumber } from '../format';
import { t } from '../i18n';

// The drawer's code loads on first opening, not with every screen.
const NotificationsDrawer = lazy(() => import('./notifications-drawer'));

/** The bell with the number of unread notices; opens the list. */
export function NotificationsBell() {
  const [open, setOpen] = useState(false);
  const notifications = useQuery({
    queryKey: keys.notifications,
    queryFn: fetchNotifications,
    refetchInterval: useFallbackPolling(),
  });
  const unread = (notifications.data?.items ?? []).filter((n) => !n.readAt).length;
  return (
    <>
      <Badge count={unread} overflowCount={99}>
        <Button
          icon={<BellOutlined aria-hidden />}
          aria-label={t.notifications.bell}
          aria-describedby="notifications-unread"
          aria-haspopup="dialog"
          onClick={() => setOpen(true)}
        />
      </Badge>
      <span id="notifications-unread" className="visually-hidden">
        {unread > 0 ? t.notifications.unread(formatNumber(unread)) : t.notifications.noneUnread}
      </span>
      {open && (
        <Suspense fallback={null}>
          <NotificationsDrawer onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
