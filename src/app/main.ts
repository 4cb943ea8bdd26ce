import './keyhole-app.ts';
