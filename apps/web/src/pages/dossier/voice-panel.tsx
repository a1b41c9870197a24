import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Typography } from 'antd';
import { Link } from 'react-router';
import { fetchDossierVoice, keys } from '../../api/queries';
import { type DossierView } from '../../api/types';
import { ProblemAlert } from '../../components/problem-alert';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';

/** The citizens' voice on the dossier: its rating, the petitions about it, and what a petition is about. */
export function VoicePanel({ dossier }: { dossier: DossierView }) {
  const voice = useQuery({
    queryKey: keys.dossierVoice(dossier.code),
    queryFn: () => fetchDossierVoice(dossier.code),
  });
  if (voice.isPending) {
    return null;
  }
  if (voice.error) {
    return <ProblemAlert error={voice.error} />;
  }
  const { rating, supersededRatings, petitions, petition } = voice.data;
  return (
    <Card style={{ marginBottom: 16 }}>
      <section aria-labelledby="voice-title">
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }} id="voice-title">
          {t.dossier.voiceTitle}
        </Typography.Title>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t.dossier.rating}>
            {rating ? (
              <span>
                <strong>{t.dossier.ratings[rating.rating] ?? rating.rating}</strong>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {t.dossier.ratedBy(formatDateTime(rating.ratedAt), rating.recordedByName)}
                </Typography.Text>
              </span>
            ) : (
              t.dossier.notRated
            )}
          </Descriptions.Item>
          {rating?.comment && <Descriptions.Item label={t.dossier.ratingComment}>{rating.comment}</Descriptions.Item>}
          {supersededRatings.length > 0 && (
            <Descriptions.Item label={t.dossier.supersededRatings}>
              {supersededRatings.map((r) => (
                <div key={r.supersededAt}>
                  {t.dossier.superseded(
                    t.dossier.ratings[r.rating] ?? r.rating,
                    formatDateTime(r.ratedAt),
                    r.recordedByName,
                    formatDateTime(r.supersededAt),
                  )}
                </div>
              ))}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t.dossier.petitionsAbout}>
            {petitions.length === 0
              ? t.dossier.noPetitions
              : petitions.map((code) => (
                  <div key={code}>
                    <Link to={`/ho-so/${code}`}>{code}</Link>
                  </div>
                ))}
          </Descriptions.Item>
          {petition && (
            <>
              <Descriptions.Item label={t.dossier.petitionAbout}>
                {petition.dossierCode ? <Link to={`/ho-so/${petition.dossierCode}`}>{petition.dossierCode}</Link> : '—'}
                {petition.stepCode ? ` (${petition.stepCode})` : ''}
                {petition.officerName ? ` — ${petition.officerName}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t.dossier.petitionUnit}>{petition.responsibleUnitCode}</Descriptions.Item>
              <Descriptions.Item label={t.dossier.petitionText}>{petition.text}</Descriptions.Item>
            </>
          )}
        </Descriptions>
      </section>
    </Card>
  );
}
