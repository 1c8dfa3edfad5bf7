/** A labelled `<input type="date">` (YYYY-MM-DD): the date filters of the QA and Reports pages. */
export function DateField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="date"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
      />
    </label>
  );
}
