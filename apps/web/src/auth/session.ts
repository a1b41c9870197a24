/** The signed-in officer's token: kept in memory and in sessionStorage (this tab only), never in a URL. */
const STORAGE_KEY = 'dossier-console.session';

/** The OpenID provider a single sign-on session came from (signing out ends the session there too). */
export interface SsoProvider {
  issuer: string;
  clientId: string;
  scopes: string;
}

interface Stored {
  token: string;
  expiresAt: string;
  sso?: SsoProvider;
}

type Listener = () => void;

function load(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Stored>) : null;
    if (parsed?.token && parsed.expiresAt && Date.parse(parsed.expiresAt) > Date.now()) {
      return { token: parsed.token, expiresAt: parsed.expiresAt, sso: parsed.sso };
    }
  } catch {
    // Storage can be unavailable (private mode) or hold garbage: start signed out.
  }
  return null;
}

class Session {
  private current: Stored | null = load();
  private expired = false;
  private readonly listeners = new Set<Listener>();

  token(): string | null {
    if (this.current && Date.parse(this.current.expiresAt) <= Date.now()) {
      this.expire();
    }
    return this.current?.token ?? null;
  }

  /** True after the server refused the token (or it ran out), until the next sign-in. */
  wasExpired(): boolean {
    return this.expired;
  }

  /** The provider of a single sign-on session; null for a demo token. */
  sso(): SsoProvider | null {
    return this.current?.sso ?? null;
  }

  signIn(token: string, expiresAt: string, sso?: SsoProvider): void {
    this.current = { token, expiresAt, sso };
    this.expired = false;
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.current));
    } catch {
      // Memory still holds it for this page's life.
    }
    this.notify();
  }

  signOut(): void {
    this.clear(false);
  }

  expire(): void {
    if (this.current) {
      this.clear(true);
    }
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private clear(expired: boolean): void {
    this.current = null;
    this.expired = expired;
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored.
    }
    this.notify();
  }

  private notify(): void {
    this.listeners.forEach((l) => l());
  }
}

export const session = new Session();
