import { useLive } from '../live/LiveProvider';
import { IdlePanel } from './IdlePanel';
import { MyCallsToday } from './MyCallsToday';
import { ScreenPopCard } from './ScreenPopCard';
import { TasksPanel } from './TasksPanel';

/** The agent's working screen: the current call on the left, tasks and today's calls on the right. */
export function DesktopPage() {
  const { calls } = useLive();
  return (
    <div className="desktop">
      <section className="desktop-main" data-testid="call-area">
        {calls.length === 0 ? (
          <IdlePanel />
        ) : (
          calls.map((c) => <ScreenPopCard key={c.callId} entry={c} />)
        )}
      </section>
      <aside className="desktop-side">
        <TasksPanel />
        <MyCallsToday />
      </aside>
    </div>
  );
}
