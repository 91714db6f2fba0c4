import { useState } from 'react';
import { Empty, ErrorMessage, Loading } from '../../../ui/StateMessage';
import { useLive, useLiveSync } from '../../live/components/LiveProvider';
import { StatusLegend } from './StatusLegend';
import { TaskDetailsPanel } from './TaskDetailsPanel';
import { TaskGraphView } from './TaskGraphView';
import './GraphPage.css';

/** The tenant's task DAG, live; a click (or Enter) on a node opens its details. */
export const GraphPage = () => {
  const structure = useLive((state) => state.structure);
  const tasks = useLive((state) => state.tasks);
  const loaded = useLive((state) => state.loaded);
  const { error } = useLiveSync();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (!loaded) {
    return error ? (
      <ErrorMessage title="Could not load the task graph" error={error} />
    ) : (
      <Loading what="the task graph" />
    );
  }
  if (structure.nodes.length === 0) {
    return <Empty>No tasks yet. Set a goal on the Goal page; the planned tasks will appear here live.</Empty>;
  }
  return (
    <div className="graph-layout">
      <div className="graph-main">
        <StatusLegend taskCount={structure.nodes.length} edgeCount={structure.edges.length} />
        <div className="graph-canvas">
          <TaskGraphView structure={structure} tasks={tasks} selectedId={selectedId} onSelect={setSelectedId} />
        </div>
      </div>
      {selectedId ? (
        <TaskDetailsPanel taskId={selectedId} onSelect={setSelectedId} onClose={() => setSelectedId(null)} />
      ) : null}
    </div>
  );
};
