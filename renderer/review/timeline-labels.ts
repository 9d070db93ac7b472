/**
 * Keeps the timeline's labels inside it: wavesurfer writes each label to the right of its notch,
 * so one near the end was cut off. Those labels are turned to read leftwards from their notch.
 */
export function keepTimelineLabelsInside(wrapper: HTMLElement): void {
  const timeline = wrapper.querySelector<HTMLElement>('[part~="timeline"]');
  if (!timeline) return;
  const right = timeline.getBoundingClientRect().right;
  for (const notch of timeline.querySelectorAll<HTMLElement>('[part~="timeline-notch"]')) {
    const text = notch.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    notch.style.direction = '';
    const range = document.createRange();
    range.selectNodeContents(notch);
    // A zero-width notch with direction rtl lets its text overflow to the left instead.
    if (range.getBoundingClientRect().right > right + 0.5) notch.style.direction = 'rtl';
  }
}
