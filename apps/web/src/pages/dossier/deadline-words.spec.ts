import { ledgerInWords } from './deadline-words';

type View = Parameters<typeof ledgerInWords>[0];

const view = (overrides: Partial<View>): View => ({
  dueAt: '2030-06-17T02:40:00.000Z',
  pauseReason: null,
  history: [],
  deadline: {
    anchorAt: '2030-05-06T02:40:00.000Z',
    budget: { amount: 30, unit: 'WD' },
    warningAt: null,
    extended: false,
    supplementRequests: 0,
    explanation: '',
    ledger: [],
  },
  ...overrides,
});

describe(ledgerInWords.name, () => {
  it('says why the due time is what it is, in Vietnamese, in the deployment zone', () => {
    const words = ledgerInWords(
      view({
        deadline: {
          ...view({}).deadline,
          ledger: [
            {
              at: '2030-05-06T02:40:00.000Z',
              kind: 'ANCHOR',
              dueAt: '2030-06-17T02:40:00.000Z',
              explanation: '30 working days from 09:40 06/05/2030 gives 09:40 17/06/2030.',
            },
          ],
        },
      }),
    );
    expect(words.summary).toBe(
      'Hạn trả kết quả là 17/06/2030 09:40 vì: tiếp nhận lúc 06/05/2030 09:40, thời gian giải quyết 30 ngày làm việc.',
    );
    expect(words.lines[0].detail).toContain('30 working days');
  });

  it('joins a pause with the resume that ended it and names the supplement as its reason', () => {
    const words = ledgerInWords(
      view({
        dueAt: '2030-06-20T02:40:00.000Z',
        history: [
          {
            seq: 4,
            type: 'SUPPLEMENT_REQUESTED',
            nationalStatus: 5,
            occurredAt: '2030-05-13T02:40:00.000Z',
            payload: {},
          },
        ],
        deadline: {
          ...view({}).deadline,
          ledger: [
            { at: '2030-05-06T02:40:00.000Z', kind: 'ANCHOR', dueAt: '2030-06-17T02:40:00.000Z', explanation: '' },
            { at: '2030-05-13T02:40:00.000Z', kind: 'PAUSE', dueAt: null, explanation: '' },
            { at: '2030-05-16T02:40:00.000Z', kind: 'RESUME', dueAt: '2030-06-20T02:40:00.000Z', explanation: '' },
          ],
        },
      }),
    );
    expect(words.lines.map((l) => l.text)).toEqual([
      'tiếp nhận lúc 06/05/2030 09:40, thời gian giải quyết 30 ngày làm việc',
      'tạm dừng từ 13/05/2030 09:40 đến 16/05/2030 09:40 để chờ bổ sung hồ sơ',
      'tiếp tục tính từ 16/05/2030 09:40, hạn mới 20/06/2030 09:40',
    ]);
  });

  it('says the clock is stopped while a pause is open', () => {
    const words = ledgerInWords(
      view({
        dueAt: null,
        pauseReason: 'SUPPLEMENT',
        deadline: {
          ...view({}).deadline,
          ledger: [
            { at: '2030-05-06T02:40:00.000Z', kind: 'ANCHOR', dueAt: '2030-06-17T02:40:00.000Z', explanation: '' },
            { at: '2030-05-13T02:40:00.000Z', kind: 'PAUSE', dueAt: null, explanation: '' },
          ],
        },
      }),
    );
    expect(words.summary).toBe(
      'Hạn trả kết quả đang tạm dừng vì: tiếp nhận lúc 06/05/2030 09:40, thời gian giải quyết 30 ngày làm việc, ' +
        'tạm dừng từ 13/05/2030 09:40 đến nay để chờ bổ sung hồ sơ.',
    );
  });

  it('states an extension with the old and the new return time', () => {
    const words = ledgerInWords(
      view({
        deadline: {
          ...view({}).deadline,
          ledger: [
            {
              at: '2030-06-10T02:40:00.000Z',
              kind: 'EXTENSION',
              dueAt: '2030-06-24T02:40:00.000Z',
              previousDueAt: '2030-06-17T02:40:00.000Z',
              explanation: '',
            },
          ],
        },
      }),
    );
    expect(words.lines[0].text).toBe('gia hạn lúc 10/06/2030 09:40 từ 17/06/2030 09:40 đến 24/06/2030 09:40');
  });

  it('has nothing to say before processing starts', () => {
    expect(ledgerInWords(view({})).summary).toBeNull();
  });
});
