import './App.css';
import '../styles.scss';
import './theme.less';
