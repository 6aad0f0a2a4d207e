import { useId, useState, type ReactNode } from "react";

export interface Tab {
  id: string;
  label: string;
  render: () => ReactNode;
}

/** Accessible tabs (arrow keys move between them); only the selected panel is rendered. */
export function Tabs({ tabs, testId, initial }: { tabs: Tab[]; testId?: string; initial?: string }) {
  const [selected, setSelected] = useState(initial ?? tabs[0]?.id);
  const base = useId();
  const current = tabs.find((t) => t.id === selected) ?? tabs[0];
  return (
    <div className="tabs" data-testid={testId}>
      <div role="tablist" className="tabs__list">
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${base}-${tab.id}`}
            aria-selected={tab.id === current?.id}
            aria-controls={`${base}-${tab.id}-panel`}
            tabIndex={tab.id === current?.id ? 0 : -1}
            className="tabs__tab"
            data-testid={`tab-${tab.id}`}
            onClick={() => setSelected(tab.id)}
            onKeyDown={(e) => {
              const by = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
              if (by === 0) return;
              const next = tabs[(i + by + tabs.length) % tabs.length]!;
              setSelected(next.id);
              document.getElementById(`${base}-${next.id}`)?.focus();
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {current && (
        <div role="tabpanel" id={`${base}-${current.id}-panel`} aria-labelledby={`${base}-${current.id}`} className="tabs__panel">
          {current.render()}
        </div>
      )}
    </div>
  );
}
