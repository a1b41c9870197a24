import { PaymentStore } from '../../libs/persistence/src';
import { fakeGateway, type FakeGateway } from '../support/fake-gateway';
import { eventually, freePort } from '../support/infrastructure';
import { type RunningProduct, startProduct } from '../support/product';

/** 2.000815 (certified copies, commune desk 000.31.01.H36): one fee of 2,000 đồng in its schedule. */
const COMMUNE = '000.31.01.H36';
const IPN_PATH = '/public/v1/payments/gateway/ipn';
const RETURN_PATH = '/public/v1/payments/gateway/return';

describe('fees paid online through the payment gateway (e2e)', () => {
  let gateway: FakeGateway;
  let product: RunningProduct;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await fakeGateway();
    const port = await freePort();
    product = await startProduct({
      port,
      overrides: {
        PAYMENT_GATEWAY_URL: gateway.payUrl,
        PAYMENT_TMN_CODE: gateway.tmnCode,
        PAYMENT_HASH_SECRET: gateway.secret,
        PAYMENT_RETURN_URL: `http://127.0.0.1:${port}${RETURN_PATH}`,
      },
    });
    gateway.ipnUrl = `${product.baseUrl}${IPN_PATH}`;
    for (const u of ['commune-clerk', 'admin', 'clerk']) {
      tokens[u] = await product.token(u);
    }
  });

  afterAll(async () => {
    await product?.stop();
    await new Promise((resolve) => gateway?.server.close(resolve));
  });

  /** A 2.000815 dossier received at the commune desk, whose clerk holds T1; its code and the citizen's PIN. */
  async function receive(): Promise<{ code: string; pin: string }> {
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: tokens['commune-clerk'],
      body: {
        procedureCode: '2.000815',
        receivingUnitCode: COMMUNE,
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'BAN-CHINH' }],
      },
    });
    expect(received.status).toBe(201);
    const { code, lookupPin: pin } = received.body as { code: string; lookupPin: string };
    await eventually(async () => {
      const res = await product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens['commune-clerk'] });
      return res.body.currentStep?.code === 'T1' ? res.body : undefined;
    }, 'the dossier taken into processing');
    return { code, pin };
  }

  /** The holder asks for the procedure's fee (no amount given: the fee schedule's). */
  async function requestFee(code: string) {
    const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/request-payment`, {
      token: tokens['commune-clerk'],
      body: {},
    });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('AWAITING_PAYMENT');
    return eventually(async () => {
      const receipts = await product.request('GET', `/api/v1/dossiers/${code}/payments`, {
        token: tokens['commune-clerk'],
      });
      return receipts.body.length === 1 ? receipts.body[0] : undefined;
    }, 'the payment request recorded');
  }

  const dossier = (code: string) =>
    product.request('GET', `/api/v1/dossiers/${code}`, { token: tokens['commune-clerk'] }).then((r) => r.body);
  const receipts = (code: string) =>
    product
      .request('GET', `/api/v1/dossiers/${code}/payments`, { token: tokens['commune-clerk'] })
      .then((r) => r.body as Record<string, unknown>[]);
  const paymentEvents = async (code: string) =>
    ((await dossier(code)).history as { type: string }[]).filter((e) => e.type === 'PAYMENT_RECORDED');
  const link = (code: string, pin: string) =>
    product.request('POST', `/public/v1/dossiers/${code}/payment-link`, { body: { pin } });

  const paid: { code?: string; pin?: string; ipn?: Record<string, string>; txnRef?: string; unused?: string } = {};

  it("asks for the fee of the procedure's schedule: a payment request of 2,000 đồng, pending", async () => {
    const { code, pin } = await receive();
    const fee = await requestFee(code);
    expect(fee).toMatchObject({
      fee: 'Phí chứng thực bản sao',
      amount: 2000,
      state: 'PENDING',
      channel: null,
      txnRef: null,
      reference: null,
      attempts: [],
    });
    Object.assign(paid, { code, pin });
  });

  it('gives the citizen (code + PIN) a signed link the gateway accepts; a wrong PIN gets none', async () => {
    const code = paid.code as string;
    const pin = paid.pin as string;
    expect((await link(code, pin === '000000' ? '111111' : '000000')).status).toBe(404);
    const res = await link(code, pin);
    expect(res.status).toBe(200);
    expect(res.body.txnRef).toMatch(/^[0-9a-f]{32}$/);
    paid.unused = res.body.txnRef as string;
    const url = new URL(res.body.paymentUrl as string);
    expect(`${url.origin}${url.pathname}`).toBe(gateway.payUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      vnp_Version: '2.1.0',
      vnp_Command: 'pay',
      vnp_TmnCode: gateway.tmnCode,
      vnp_Amount: '200000',
      vnp_CurrCode: 'VND',
      vnp_TxnRef: res.body.txnRef,
      vnp_Locale: 'vn',
      vnp_CreateDate: expect.stringMatching(/^\d{14}$/),
      vnp_ExpireDate: expect.stringMatching(/^\d{14}$/),
      vnp_IpAddr: '127.0.0.1',
      vnp_SecureHash: gateway.sign(Object.fromEntries(url.searchParams)),
    });
    // A link changed on the way is refused by the gateway.
    url.searchParams.set('vnp_Amount', '100');
    expect((await gateway.pay(url.toString())).status).toBe(400);
  });

  it('takes the payment: the IPN is confirmed (00), the workflow records it and the dossier resumes', async () => {
    const code = paid.code as string;
    const { body } = await link(code, paid.pin as string);
    // A new link is a new attempt, under a TxnRef of its own.
    expect(body.txnRef).not.toBe(paid.unused);
    paid.txnRef = body.txnRef as string;
    const before = gateway.notifications.length;
    const payment = await gateway.pay(body.paymentUrl as string);
    expect(payment.status).toBe(302);
    const ipn = gateway.notifications[before];
    expect(ipn.answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    paid.ipn = ipn.params;
    const after = await eventually(async () => {
      const d = await dossier(code);
      return d.state === 'IN_PROGRESS' ? d : undefined;
    }, 'the dossier back in processing');
    expect(after).toMatchObject({ nationalStatus: 4 });
    expect(await paymentEvents(code)).toHaveLength(1);
    // The browser comes back to the return page: verified, and showing what the IPN recorded.
    const back = new URL(payment.location as string);
    expect(back.pathname).toBe(RETURN_PATH);
    const shown = await product.request('GET', `${back.pathname}${back.search}`);
    expect(shown.body).toMatchObject({ verified: true, dossierCode: code, state: 'PAID', amount: 2000 });
  });

  it('lists the receipt: fee, amount, online gateway channel, time and transaction references', async () => {
    const [receipt] = await eventually(async () => {
      const rows = await receipts(paid.code as string);
      return rows[0]?.recordedOnDossier ? rows : undefined;
    }, 'the payment recorded on the dossier');
    expect(receipt).toMatchObject({
      fee: 'Phí chứng thực bản sao',
      amount: 2000,
      state: 'PAID',
      channel: 'ONLINE_GATEWAY',
      method: 'ONLINE',
      paidAt: expect.any(String),
      txnRef: paid.txnRef,
      reference: paid.ipn?.vnp_TransactionNo,
      payerReference: null,
      // The link given earlier and never used, and the one that paid.
      attempts: [
        { txnRef: paid.unused, createdAt: expect.any(String), state: 'OPEN', responseCode: null, transactionNo: null },
        {
          txnRef: paid.txnRef,
          createdAt: expect.any(String),
          state: 'PAID',
          responseCode: '00',
          transactionNo: paid.ipn?.vnp_TransactionNo,
        },
      ],
    });
  });

  it('gives each attempt a new TxnRef: one abandoned, one failed, one paid; a late success of the first changes nothing', async () => {
    const { code, pin } = await receive();
    await requestFee(code);
    // 1: the citizen opens the link and leaves the gateway's page without paying.
    const abandoned = (await link(code, pin)).body as { txnRef: string; paymentUrl: string };
    // 2: a new link (the gateway would refuse the first TxnRef again); the payment is cancelled at the gateway.
    const failed = (await link(code, pin)).body as { txnRef: string; paymentUrl: string };
    gateway.nextResponseCode = '24';
    const before = gateway.notifications.length;
    try {
      expect((await gateway.pay(failed.paymentUrl)).status).toBe(302);
    } finally {
      gateway.nextResponseCode = '00';
    }
    expect(gateway.notifications[before].answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    expect((await dossier(code)).state).toBe('AWAITING_PAYMENT');
    // A link the gateway has seen is refused by it: the citizen could not pay with it again.
    expect((await gateway.pay(failed.paymentUrl)).status).toBe(400);
    // 3: a new link again, and the citizen pays.
    const third = (await link(code, pin)).body as { txnRef: string; paymentUrl: string };
    expect(new Set([abandoned.txnRef, failed.txnRef, third.txnRef]).size).toBe(3);
    expect((await gateway.pay(third.paymentUrl)).status).toBe(302);
    const paidIpn = gateway.notifications[gateway.notifications.length - 1];
    expect(paidIpn.answer).toEqual({ RspCode: '00', Message: 'Confirm Success' });
    await eventually(async () => ((await dossier(code)).state === 'IN_PROGRESS' ? true : undefined), 'resumed');

    // Late, the gateway notifies a success for the first attempt (the citizen had paid in another tab after all).
    const late = {
      vnp_Amount: '200000',
      vnp_BankCode: 'NCB',
      vnp_PayDate: '20301209143000',
      vnp_ResponseCode: '00',
      vnp_TmnCode: gateway.tmnCode,
      vnp_TransactionNo: '14888888',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: abandoned.txnRef,
    };
    expect((await gateway.notify(late)).answer).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    // A late failure of the second changes nothing either.
    const lateFailure = { ...late, vnp_ResponseCode: '24', vnp_TransactionStatus: '02', vnp_TransactionNo: '0' };
    expect((await gateway.notify({ ...lateFailure, vnp_TxnRef: failed.txnRef })).answer.RspCode).toBe('02');

    const [receipt] = await eventually(async () => {
      const rows = await receipts(code);
      return rows[0]?.recordedOnDossier ? rows : undefined;
    }, 'the payment recorded on the dossier');
    expect(await receipts(code)).toHaveLength(1);
    expect(receipt).toMatchObject({
      state: 'PAID',
      channel: 'ONLINE_GATEWAY',
      txnRef: third.txnRef,
      reference: paidIpn.params.vnp_TransactionNo,
    });
    expect(receipt.attempts).toEqual([
      expect.objectContaining({ txnRef: abandoned.txnRef, state: 'REFUND_DUE', transactionNo: '14888888' }),
      expect.objectContaining({ txnRef: failed.txnRef, state: 'FAILED', responseCode: '24' }),
      expect.objectContaining({ txnRef: third.txnRef, state: 'PAID', responseCode: '00' }),
    ]);
    // Exactly one payment reached the workflow: the third attempt's.
    const events = ((await dossier(code)).history as { type: string; payload?: { reference?: string } }[]).filter(
      (e) => e.type === 'PAYMENT_RECORDED',
    );
    expect(events).toHaveLength(1);
    // The fee is paid: no further link.
    expect((await link(code, pin)).status).toBe(409);
  });

  it('answers a duplicated IPN "already confirmed" (02) and records nothing more', async () => {
    const code = paid.code as string;
    const before = await receipts(code);
    const { vnp_SecureHash: _hash, ...params } = paid.ipn as Record<string, string>;
    void _hash;
    expect((await gateway.notify(params)).answer).toEqual({ RspCode: '02', Message: 'Order already confirmed' });
    expect(await receipts(code)).toEqual(before);
    expect(await paymentEvents(code)).toHaveLength(1);
  });

  describe('forged notifications change nothing', () => {
    let code: string;
    let txnRef: string;
    let params: Record<string, string>;

    beforeAll(async () => {
      let pin: string;
      ({ code, pin } = await receive());
      await requestFee(code);
      ({ txnRef } = (await link(code, pin)).body as { txnRef: string });
      params = {
        vnp_Amount: '200000',
        vnp_BankCode: 'NCB',
        vnp_CardType: 'ATM',
        vnp_OrderInfo: 'Ho so',
        vnp_PayDate: '20301209143000',
        vnp_ResponseCode: '00',
        vnp_TmnCode: gateway.tmnCode,
        vnp_TransactionNo: '99999999',
        vnp_TransactionStatus: '00',
        vnp_TxnRef: txnRef,
      };
    });

    const unchanged = async () => {
      expect(await receipts(code)).toEqual([expect.objectContaining({ state: 'PENDING', channel: null })]);
      expect((await dossier(code)).state).toBe('AWAITING_PAYMENT');
      expect(await paymentEvents(code)).toHaveLength(0);
    };

    it('a signature under another secret: 97', async () => {
      expect((await gateway.notify(params, { secret: 'NOT-THE-MERCHANTS-SECRET-00000000' })).answer.RspCode).toBe('97');
      expect((await gateway.notify(params, { hash: 'deadbeef' })).answer.RspCode).toBe('97');
      await unchanged();
    });

    it('a good signature over a changed amount: 04', async () => {
      expect((await gateway.notify({ ...params, vnp_Amount: '100' })).answer).toEqual({
        RspCode: '04',
        Message: 'Invalid amount',
      });
      await unchanged();
    });

    it('a good signature for an unknown TxnRef: 01', async () => {
      expect((await gateway.notify({ ...params, vnp_TxnRef: 'nosuchpayment' })).answer).toEqual({
        RspCode: '01',
        Message: 'Order not found',
      });
      await unchanged();
    });

    it("a good signature for another merchant's terminal: 97", async () => {
      expect((await gateway.notify({ ...params, vnp_TmnCode: 'OTHER001' })).answer.RspCode).toBe('97');
      await unchanged();
    });

    it('a cancelled payment is confirmed (00) but leaves the fee to pay', async () => {
      expect((await gateway.notify({ ...params, vnp_ResponseCode: '24', vnp_TransactionStatus: '02' })).answer).toEqual(
        { RspCode: '00', Message: 'Confirm Success' },
      );
      await unchanged();
    });

    it('a return page with a forged signature is not believed, and records nothing', async () => {
      const query = new URLSearchParams({ ...params, vnp_SecureHash: 'ab'.repeat(64) }).toString();
      const shown = await product.request('GET', `${RETURN_PATH}?${query}`);
      expect(shown.body).toMatchObject({ verified: false, state: 'UNKNOWN' });
      // Even a genuine success brought back by the browser records nothing: only the IPN does.
      const genuine = new URLSearchParams({ ...params, vnp_SecureHash: gateway.sign(params) }).toString();
      expect((await product.request('GET', `${RETURN_PATH}?${genuine}`)).body).toMatchObject({
        verified: true,
        state: 'PENDING',
      });
      await unchanged();
    });
  });

  it('records a payment once when the same IPN arrives twice at the same time', async () => {
    const { code, pin } = await receive();
    await requestFee(code);
    const { txnRef } = (await link(code, pin)).body as { txnRef: string };
    const params = {
      vnp_Amount: '200000',
      vnp_BankCode: 'NCB',
      vnp_PayDate: '20301209143000',
      vnp_ResponseCode: '00',
      vnp_TmnCode: gateway.tmnCode,
      vnp_TransactionNo: '14999999',
      vnp_TransactionStatus: '00',
      vnp_TxnRef: txnRef,
    };
    const answers = (await Promise.all([gateway.notify(params), gateway.notify(params)])).map((n) => n.answer.RspCode);
    expect(answers).toContain('00');
    expect(answers.every((a) => a === '00' || a === '02')).toBe(true);
    await eventually(async () => ((await dossier(code)).state === 'IN_PROGRESS' ? true : undefined), 'resumed');
    expect(await paymentEvents(code)).toHaveLength(1);
    expect(await receipts(code)).toEqual([expect.objectContaining({ state: 'PAID', channel: 'ONLINE_GATEWAY' })]);
  });

  it("records the desk's payments with channel DESK, each under the desk's next receipt number of the year", async () => {
    const deskPayment = async (method: string, reference?: string) => {
      const { code } = await receive();
      await requestFee(code);
      const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/record-payment`, {
        token: tokens['commune-clerk'],
        body: { amount: 2000, method, ...(reference ? { reference } : {}) },
      });
      expect(res.status).toBe(200);
      const [receipt] = await eventually(async () => {
        const rows = await receipts(code);
        return rows[0]?.state === 'PAID' ? rows : undefined;
      }, 'the desk payment on the receipt');
      return receipt;
    };
    const cash = await deskPayment('CASH', 'BL-0042');
    const transfer = await deskPayment('BANK_TRANSFER');
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    const number = new RegExp(`^${COMMUNE.replace(/\./g, '\\.')}-BL${year}-(\\d{6})$`);
    expect(cash).toMatchObject({
      channel: 'DESK',
      method: 'CASH',
      reference: expect.stringMatching(number),
      payerReference: 'BL-0042',
      txnRef: null,
      recordedOnDossier: true,
    });
    expect(transfer).toMatchObject({ channel: 'DESK', method: 'BANK_TRANSFER', payerReference: null });
    // The desk's numbers follow each other.
    const [, first] = number.exec(cash.reference as string) ?? [];
    expect(transfer.reference).toBe(
      cash.reference?.toString().replace(/\d{6}$/, String(Number(first) + 1).padStart(6, '0')),
    );
  });

  it('says which field is missing when the procedure has no fee schedule and no amount is given (422)', async () => {
    // Example A (2.000908) has no fee in its schedule.
    const received = await product.request('POST', '/api/v1/dossiers', {
      token: tokens.clerk,
      body: {
        procedureCode: '2.000908',
        receivingUnitCode: '000.00.20.H36',
        channel: 'IN_PERSON',
        applicant: { type: 'INDIVIDUAL', idNumber: '001203004567', name: 'Nguyễn Văn An' },
        documents: [{ code: 'VB-DE-NGHI' }, { code: 'GT-TRU-SO' }],
      },
    });
    const code = received.body.code as string;
    const res = await product.request('POST', `/api/v1/dossiers/${code}/actions/request-payment`, {
      token: tokens.clerk,
      body: {},
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'amount' })]);
  });

  it('counts the 766 online-payment share over the dossiers asked for a fee: 3 paid online of 6', async () => {
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const index = await product.request('GET', `/api/v1/reports/index-766?from=${day}&to=${day}&unit=${COMMUNE}`, {
      token: tokens.admin,
    });
    expect(index.status).toBe(200);
    // Three paid through the gateway (one after two attempts), the forged notifications' dossier (still to pay) and
    // the desk's two payments; example A, asked for no fee, is not counted.
    expect(index.body.indicators.onlinePaymentShare).toMatchObject({ numerator: 3, denominator: 6, value: 50 });
  });

  const deskPays = (code: string, amount: number) =>
    product.request('POST', `/api/v1/dossiers/${code}/actions/record-payment`, {
      token: tokens['commune-clerk'],
      body: { amount, method: 'CASH' },
    });
  const onlineShare = async () => {
    const day = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const index = await product.request('GET', `/api/v1/reports/index-766?from=${day}&to=${day}&unit=${COMMUNE}`, {
      token: tokens.admin,
    });
    return index.body.indicators.onlinePaymentShare as { numerator: number; denominator: number };
  };

  describe('the desk pays the open fee, in full, once', () => {
    it('refuses a partial payment at the desk (422 naming amount and the fee owed); the fee stays open', async () => {
      const { code } = await receive();
      await requestFee(code);
      const res = await deskPays(code, 500);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        expect.objectContaining({ field: 'amount', message: expect.stringContaining('2000 đồng') }),
      ]);
      expect((await dossier(code)).state).toBe('AWAITING_PAYMENT');
      expect(await paymentEvents(code)).toHaveLength(0);
      expect(await receipts(code)).toEqual([expect.objectContaining({ state: 'PENDING', channel: null })]);
      // The fee in full is taken.
      expect((await deskPays(code, 2000)).status).toBe(200);
      expect(await receipts(code)).toEqual([
        expect.objectContaining({ state: 'PAID', channel: 'DESK', amount: 2000, recordedOnDossier: true }),
      ]);
    });

    it('refuses a desk payment when no fee is open (409 naming the rule), and a second one for a paid fee', async () => {
      const { code } = await receive();
      const unasked = await deskPays(code, 2000);
      expect(unasked.status).toBe(409);
      expect(unasked.body).toMatchObject({ code: 'INVALID_STATE', rule: 'FEE_OPEN' });
      expect(await receipts(code)).toEqual([]);
      expect(await paymentEvents(code)).toHaveLength(0);
      expect((await dossier(code)).state).toBe('IN_PROGRESS');

      await requestFee(code);
      expect((await deskPays(code, 2000)).status).toBe(200);
      const again = await deskPays(code, 2000);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'INVALID_STATE', rule: 'FEE_OPEN' });
      expect(await paymentEvents(code)).toHaveLength(1);
      expect(await receipts(code)).toHaveLength(1);
    });
  });

  describe('the desk and the gateway are exclusive on a fee', () => {
    it('the gateway first, its recording still to come (IPN answered 99): the desk is refused, the retry records once', async () => {
      const { code, pin } = await receive();
      const fee = await requestFee(code);
      const { txnRef } = (await link(code, pin)).body as { txnRef: string };
      const store = product.api.get(PaymentStore);
      const { attempt } = (await store.findAttempt(txnRef))!;
      // What a notification leaves behind when the workflow could not be reached: the fee claimed, not yet recorded.
      expect(
        await store.claimGatewayPayment(fee.id as string, attempt.id, {
          paidAt: new Date(),
          reference: '14777777',
          bankCode: 'NCB',
          responseCode: '00',
        }),
      ).toBe(true);

      const desk = await deskPays(code, 2000);
      expect(desk.status).toBe(409);
      expect(desk.body).toMatchObject({ code: 'INVALID_STATE', rule: 'FEE_OPEN' });
      expect(desk.body.detail).toMatch(/payment gateway/);

      // The gateway's retry records the payment on the dossier: once, online.
      expect((await gateway.notify(gateway.success(txnRef, '14777777'))).answer.RspCode).toBe('00');
      await eventually(async () => ((await dossier(code)).state === 'IN_PROGRESS' ? true : undefined), 'resumed');
      expect(await paymentEvents(code)).toHaveLength(1);
      expect(await receipts(code)).toEqual([
        expect.objectContaining({ state: 'PAID', channel: 'ONLINE_GATEWAY', txnRef, recordedOnDossier: true }),
      ]);
    });

    it('the desk first: the gateway waits while the desk records (99), then its payment is due back (REFUND_DUE)', async () => {
      const { code, pin } = await receive();
      const fee = await requestFee(code);
      const { txnRef } = (await link(code, pin)).body as { txnRef: string };
      const store = product.api.get(PaymentStore);

      // While the desk's payment is being recorded, the gateway's notification is asked to retry and changes nothing.
      expect(await store.claimForDesk(fee.id as string, 'desk-in-flight', new Date())).toBe(true);
      expect((await gateway.notify(gateway.success(txnRef, '14666666'))).answer.RspCode).toBe('99');
      expect(await receipts(code)).toEqual([expect.objectContaining({ state: 'PENDING', channel: null })]);
      await store.releaseDeskClaim(fee.id as string, 'desk-in-flight');

      expect((await deskPays(code, 2000)).status).toBe(200);
      // The gateway's retry finds the fee paid at the desk: nothing more on the dossier, the money is due back.
      expect((await gateway.notify(gateway.success(txnRef, '14666666'))).answer).toEqual({
        RspCode: '02',
        Message: 'Order already confirmed',
      });
      expect(await paymentEvents(code)).toHaveLength(1);
      const [receipt] = await receipts(code);
      expect(receipt).toMatchObject({ state: 'PAID', channel: 'DESK' });
      expect(receipt.attempts).toEqual([
        expect.objectContaining({ txnRef, state: 'REFUND_DUE', transactionNo: '14666666' }),
      ]);
      // Listed to refund, saying the fee itself was paid at the desk.
      const due = await product.request('GET', '/api/v1/payments/refunds-due', { token: tokens['commune-clerk'] });
      expect(due.body).toContainEqual(
        expect.objectContaining({ dossierCode: code, feeState: 'PAID', feeChannel: 'DESK', txnRef, amount: 2000 }),
      );
    });
  });

  it('cancels the open fee of a withdrawn dossier: no link, a late payment is due back and not counted as paid online', async () => {
    const { code, pin } = await receive();
    await requestFee(code);
    const { txnRef } = (await link(code, pin)).body as { txnRef: string };
    const withdrawn = await product.request('POST', `/api/v1/dossiers/${code}/actions/withdraw`, {
      token: tokens['commune-clerk'],
      body: { reason: 'Công dân rút hồ sơ' },
    });
    expect(withdrawn.status).toBe(200);
    const [cancelled] = await eventually(async () => {
      const rows = await receipts(code);
      return rows[0]?.state === 'CANCELLED' ? rows : undefined;
    }, 'the fee cancelled');
    expect(cancelled).toMatchObject({ state: 'CANCELLED', cancelledAt: expect.any(String), channel: null });

    const refused = await link(code, pin);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATE', state: 'WITHDRAWN' });

    const before = await onlineShare();
    // The citizen had paid with the earlier link after all.
    expect((await gateway.notify(gateway.success(txnRef, '14555555'))).answer).toEqual({
      RspCode: '02',
      Message: 'Order already confirmed',
    });
    const [receipt] = await receipts(code);
    expect(receipt).toMatchObject({ state: 'CANCELLED', channel: null });
    expect(receipt.attempts).toEqual([
      expect.objectContaining({ txnRef, state: 'REFUND_DUE', transactionNo: '14555555' }),
    ]);
    expect(await paymentEvents(code)).toHaveLength(0);
    expect((await onlineShare()).numerator).toBe(before.numerator);

    // Listed for the desk that received the dossier, not for another desk.
    const due = await product.request('GET', '/api/v1/payments/refunds-due', { token: tokens['commune-clerk'] });
    expect(due.status).toBe(200);
    expect(due.body).toContainEqual(
      expect.objectContaining({
        dossierCode: code,
        unitCode: COMMUNE,
        applicantName: 'Nguyễn Văn An',
        fee: 'Phí chứng thực bản sao',
        amount: 2000,
        feeState: 'CANCELLED',
        feeChannel: null,
        txnRef,
        transactionNo: '14555555',
      }),
    );
    const elsewhere = await product.request('GET', '/api/v1/payments/refunds-due', { token: tokens.clerk });
    expect(elsewhere.status).toBe(200);
    expect((elsewhere.body as { dossierCode: string }[]).map((r) => r.dossierCode)).not.toContain(code);
  });
});
