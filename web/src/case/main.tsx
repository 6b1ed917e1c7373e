import { render } from 'preact';
import '../common/site.css';
import './case.css';
import { CasePage } from './CasePage.tsx';
import { takeCaseToken } from './case-token.ts';

const caseId = decodeURIComponent(window.location.pathname.split('/')[2] ?? '');
const token = takeCaseToken(caseId);
const openRating = new URLSearchParams(window.location.search).get('rate') === '1';
render(<CasePage caseId={caseId} token={token} openRating={openRating} />, document.getElementById('app')!);
