import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Drawer, Empty, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { fetchNotifications, keys, markNotificationRead } from '../api/queries';
import { type NotificationItem } from '../api/types';
import { ProblemAlert } from '../components/problem-alert';
import { formatDateTime } from '../format';
import { t } from '../i18n';

/** The caller's ladder and breach notices, newest first; a click opens the dossier and marks it read. */
export default function NotificationsDrawer({ onClose }: { onClose: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const notifications = useQuery({ queryKey: keys.notifications, queryFn: fetchNotifications });
  const items = notifications.data?.items ?? [];
  const unread = items.filter((n) => !n.readAt);
  const markRead = useMutation({
    mutationFn: (ids: string[]) => Promise.all(ids.map((id) => markNotificationRead(id))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.notifications }),
  });

  const openDossier = (n: NotificationItem) => {
    if (!n.readAt) {
      markRead.mutate([n.id]);
    }
    onClose();
    void navigate(`/ho-so/${encodeURIComponent(n.dossierCode)}`);
  };

  return (
    <Drawer
      title={t.notifications.title}
      open
      onClose={onClose}
      size={440}
      extra={
        unread.length > 0 ? (
          <Button size="small" onClick={() => markRead.mutate(unread.map((n) => n.id))}>
            {t.notifications.markAllRead}
          </Button>
        ) : null
      }
    >
      {notifications.error && <ProblemAlert error={notifications.error} />}
      {markRead.error && <ProblemAlert error={markRead.error} />}
      {items.length === 0 ? (
        <Empty description={t.notifications.empty} />
      ) : (
        <ul className="notification-list" aria-label={t.notifications.title}>
          {items.map((n) => (
            <li key={n.id} className={n.readAt ? 'notification' : 'notification notification-unread'}>
              <div className="notification-meta">
                <Tag>{t.notifications.kinds[n.kind] ?? t.notifications.otherKind}</Tag>
                <span className="muted">{formatDateTime(n.createdAt)}</span>
                {n.readAt && <span className="muted">· {t.notifications.read}</span>}
              </div>
              <button type="button" className="link-button" onClick={() => openDossier(n)}>
                {n.message}
              </button>
              {!n.readAt && (
                <div>
                  <Button size="small" type="link" onClick={() => markRead.mutate([n.id])}>
                    {t.notifications.markRead}
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Drawer>
  );
}
