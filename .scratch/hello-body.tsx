import { render, Text, useInput } from 'ink';
function Hello() { useInput(() => undefined); return <Text>Hello from Ink</Text>; }
render(<Hello />);
