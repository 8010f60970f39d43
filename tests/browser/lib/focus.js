'use strict';
// Whether a focused element can be seen to have focus, for the keyboard checks.

/**
 * How a focused element shows that it has focus, compared with how it looks
 * unfocused: a visible outline, a box-shadow, or a background of its own when
 * focused. Null when it looks the same either way.
 */
function focusIndicator(state, unfocused) {
  const transparent = (c) => c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
  const outline = `${state.outlineStyle} ${state.outlineWidth}px ${state.outlineColor}`;
  if (state.outlineStyle !== 'none' && state.outlineWidth > 0 && !transparent(state.outlineColor) &&
      outline !== unfocused.outline) return 'outline';
  if (state.boxShadow && state.boxShadow !== 'none' && state.boxShadow !== unfocused.boxShadow) return 'box-shadow';
  if (state.background !== unfocused.background) return 'background';
  return null;
}

module.exports = { focusIndicator };
