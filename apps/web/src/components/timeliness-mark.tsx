import { t } from '../i18n';
import { timelinessColours } from '../theme';

/** "Sớm hạn", "Đúng hạn" or "Quá hạn", in its colour. */
export function TimelinessMark({ result }: { result: string | null | undefined }) {
  if (!result) {
    return null;
  }
  return (
    <span className="band-tag" style={timelinessColours[result]}>
      {t.timeliness[result] ?? result}
    </span>
  );
}
