import { type KeyboardEvent, type ReactNode, useRef } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
}

/**
 * A small WAI-ARIA tab list (roving focus, arrow keys, Home/End): the worklist's first load stays light without a
 * library's tabs and their overflow menus.
 */
export function Tabs<K extends string>({
  id,
  label,
  items,
  active,
  onChange,
  children,
}: {
  id: string;
  label: string;
  items: TabItem<K>[];
  active: K;
  onChange: (key: K) => void;
  children: ReactNode;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = items.length - 1;
    const to =
      e.key === 'ArrowRight'
        ? (index + 1) % items.length
        : e.key === 'ArrowLeft'
          ? (index + last) % items.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (to !== null) {
      e.preventDefault();
      const key = items[to].key;
      onChange(key);
      refs.current.get(key)?.focus();
    }
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tabs-list">
        {items.map((item, i) => (
          <button
            key={item.key}
            ref={(el) => {
              if (el) {
                refs.current.set(item.key, el);
              }
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${item.key}`}
            aria-controls={`${id}-panel`}
            aria-selected={item.key === active}
            tabIndex={item.key === active ? 0 : -1}
            className="tabs-tab"
            onClick={() => onChange(item.key)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${active}`} className="tabs-panel">
        {children}
      </div>
    </div>
  );
}
