import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { fetchMe, fetchSignInOptions, keys } from '../api/queries';
import { homePath } from '../shell/nav-items';
import { PageLoading } from '../components/page-loading';
import { problemSentence } from '../components/problem-alert';
import { ApiError } from '../api/client';
import { t } from '../i18n';

/** `/dang-nhap/callback`: where the OpenID provider sends the officer back with a code; lands on where they were going. */
export default function SsoCallbackPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    const complete = async (): Promise<string> => {
      const options = await queryClient.fetchQuery({ queryKey: keys.signInOptions, queryFn: fetchSignInOptions });
      if (!options.oidc) {
        throw new Error(t.signIn.ssoNotConfigured);
      }
      const { completeSignIn } = await import('../auth/sso');
      const landing = await completeSignIn(options.oidc);
      return landing ?? homePath((await fetchMe()).roles);
    };
    complete().then(
      (landing) => {
        if (current) {
          // Nothing cached belongs to the new officer yet.
          queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.signInOptions[0] });
          void navigate(landing, { replace: true });
        }
      },
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [navigate, queryClient]);

  return (
    <main className="page" style={{ maxWidth: 720 }}>
      <title>{`${t.signIn.title} — ${t.app.name}`}</title>
      <Typography.Title level={1} style={{ fontSize: 28 }}>
        {t.app.name} — {t.signIn.title}
      </Typography.Title>
      {error ? (
        <Card>
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginBottom: 16 }}
            title={t.signIn.ssoFailed}
            description={
              <>
                <div>{error instanceof ApiError ? problemSentence(error) : t.signIn.ssoFailedText}</div>
                {error instanceof Error && error.message && (
                  <div>
                    {t.errors.serverDetail}: {error.message}
                  </div>
                )}
              </>
            }
          />
          <Link to="/dang-nhap" replace>
            {t.signIn.backToSignIn}
          </Link>
        </Card>
      ) : (
        <>
          <Typography.Paragraph>{t.signIn.ssoCompleting}</Typography.Paragraph>
          <PageLoading />
        </>
      )}
    </main>
  );
}
