import type { AnswerValue, Scorecard } from '../api/types';
import { QuestionInput } from './QuestionInput';
import type { Answers } from './score';

/** Every section of the scorecard with one input per question. */
export function ScorecardForm(props: {
  scorecard: Scorecard;
  answers: Answers;
  onAnswer: (questionId: string, value: AnswerValue) => void;
  disabled?: boolean;
}) {
  return (
    <div className="scorecard" data-testid="scorecard" data-scorecard-id={props.scorecard.id}>
      {props.scorecard.sections.map((section, i) => (
        <section key={`${section.title}-${i}`} className="scorecard-section">
          <h3>{section.title}</h3>
          {section.questions.map((q) => (
            <QuestionInput
              key={q.id}
              question={q}
              value={props.answers[q.id]}
              onChange={(v) => props.onAnswer(q.id, v)}
              disabled={props.disabled}
            />
          ))}
        </section>
      ))}
    </div>
  );
}
