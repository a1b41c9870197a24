import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { fetchMe, fetchSignInOptions, keys, signIn } from '../api/queries';
import { homePath } from '../shell/nav-items';
import { type DemoOfficer } from '../api/types';
import { session, type SsoProvider } from '../auth/session';
import { useToken } from '../auth/use-session';
import { PageLoading } from '../components/page-loading';
import { ProblemAlert } from '../components/problem-alert';
import { t } from '../i18n';

/** Sign-in: the demo officers of an embedded deployment, or the single sign-on notice in production. */
export default function SignInPage() {
  const token = useToken();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Where the officer was going; nowhere in particular: their role's home (heads: the dashboard).
  const from = (location.state as { from?: string } | null)?.from;
  const options = useQuery({ queryKey: keys.signInOptions, queryFn: fetchSignInOptions });
  const oidc = options.data?.oidc;
  const login = useMutation({
    mutationFn: async (username: string) => {
      const answer = await signIn(username);
      queryClient.clear();
      session.signIn(answer.accessToken, answer.expiresAt);
      const me = await queryClient.fetchQuery({ queryKey: keys.me, queryFn: fetchMe });
      return { home: homePath(me.roles) };
    },
    onSuccess: ({ home }) => void navigate(from ?? home, { replace: true }),
  });

  // Single sign-on: the provider's page, then the callback route (the oidc-client-ts chunk loads only now).
  const sso = useMutation({
    mutationFn: async (provider: SsoProvider) => {
      const { startSignIn } = await import('../auth/sso');
      await startSignIn(provider, from);
    },
  });

  if (token && !login.isPending) {
    return <Navigate to={from ?? login.data?.home ?? '/'} replace />;
  }

  return (
    <main className="page" style={{ maxWidth: 1100 }}>
      <title>{`${t.signIn.title} — ${t.app.name}`}</title>
      <Typography.Title level={1} style={{ fontSize: 28 }}>
        {t.app.name} — {t.signIn.title}
      </Typography.Title>
      {session.wasExpired() && <Alert type="warning" showIcon title={t.signIn.expired} style={{ marginBottom: 16 }} />}
      {options.isPending && <PageLoading />}
      {options.error && <ProblemAlert error={options.error} />}
      {login.error && <ProblemAlert error={login.error} />}
      {options.data?.mode === 'production' && (
        <Card>
          <Typography.Title level={2} style={{ fontSize: 20 }}>
            {t.signIn.ssoTitle}
          </Typography.Title>
          <Typography.Paragraph>{oidc ? t.signIn.ssoText : t.signIn.ssoNotConfigured}</Typography.Paragraph>
          {sso.error && (
            <Alert
              type="error"
              showIcon
              role="alert"
              style={{ marginBottom: 16 }}
              title={t.signIn.ssoUnreachable}
              description={sso.error.message}
            />
          )}
          <Button
            type="primary"
            disabled={!oidc}
            loading={sso.isPending || sso.isSuccess}
            onClick={() => oidc && sso.mutate(oidc)}
          >
            {t.signIn.ssoButton}
          </Button>
        </Card>
      )}
      {options.data?.mode === 'embedded' && (
        <Card>
          <Typography.Paragraph>{t.signIn.intro}</Typography.Paragraph>
          <Table<DemoOfficer>
            rowKey="username"
            dataSource={options.data.demoOfficers}
            pagination={false}
            size="middle"
            locale={{ emptyText: t.signIn.noOfficers }}
            title={() => (
              <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
                {t.signIn.officersCaption}
              </Typography.Title>
            )}
            columns={[
              { title: t.signIn.colName, dataIndex: 'fullName', render: (v: string) => <strong>{v}</strong> },
              { title: t.signIn.colUsername, dataIndex: 'username', render: (v: string) => <code>{v}</code> },
              {
                title: t.signIn.colRoles,
                render: (_: unknown, o) => o.roles.map((r) => t.roles[r] ?? r).join(', '),
              },
              { title: t.signIn.colUnits, render: (_: unknown, o) => o.units.map((u) => u.name).join(', ') },
              {
                title: t.signIn.colAction,
                render: (_: unknown, o) => (
                  <Space>
                    <Button
                      type="primary"
                      aria-label={t.signIn.buttonFor(o.fullName, o.username)}
                      loading={login.isPending && login.variables === o.username}
                      onClick={() => login.mutate(o.username)}
                    >
                      {t.signIn.button}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
    </main>
  );
}
