/**
 * Chart.js, registered once with only the parts the app draws (tree-shaken): line and bar
 * charts with a category and a linear axis, tooltips and legends. Animations are off: the
 * figures are read, not watched, and screenshots are stable.
 */
import {
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';

Chart.register(
  CategoryScale,
  LinearScale,
  PointElement,
  LineElement,
  BarElement,
  Tooltip,
  Legend,
  Title,
);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

export const COLORS = [
  '#2563eb',
  '#15803d',
  '#c62828',
  '#b45309',
  '#6d28d9',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
];
